"""How relevant a passage is to a theme, without depending on the seed vocabulary.

The first suggestion engine scored a passage by the theme's terms alone. On the five
seed documents that looked perfect, because the terms had been read off those very
documents (place names such as 张江 included); on unseen texts it put the right
passage first a quarter of the time. This module defines a theme by three things,
in the document-frequency weighted space of the passage index:

* its **description** and a few **seed terms** (the words of both, as features);
* its **accepted passages**: the members of accepted alignments are the theme's
  examples, the members of rejected alignments its counter-examples (Rocchio
  relevance feedback: ``profile = a·description + b·mean(examples) - c·mean(counter)``).
  A new project's theme starts from the description and improves as the reviewer
  accepts.
* the **role** of the passage: a 印发 notice, a preamble, a review of the last plan
  period (“十三五”期间…情况), the environment and principles sections, or a status
  line of a press report (截至…) are context, not a plan's commitments.

Weights are learned from document frequency (the index's idf): a word in most
passages weighs nothing. Digits, dates and 文号 fragments are not features at all
(figures are compared by their units, see :mod:`policydiff.core.suggest`), and a
seed term only matches at word boundaries, so 到2020年 does not match inside
截止到2020年底. No single word can carry a match alone: a passage whose similarity to
the profile comes from one feature gets its relevance halved.

Pure: text and arrays in, arrays out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from policydiff.core.rows import RowMatrix

#: Rocchio weights: description+terms, examples, counter-examples.
DESCRIPTION_WEIGHT = 1.0
EXAMPLE_WEIGHT = 1.5
COUNTER_WEIGHT = 0.5
#: Relevance multipliers by passage role.
ROLE_FACTOR = {"commitment": 1.0, "context": 0.45, "status": 0.55}
#: Share of the profile similarity one feature may carry before the match counts as
#: carried by that feature alone.
SINGLE_FEATURE_SHARE = 0.8

#: 文号 (document numbers such as 沪府办发〔2017〕66号) and bracketed years.
_WENHAO = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")
_HAS_DIGIT = re.compile(r"[0-9０-９]")

#: Heading cues of sections that describe rather than commit: reviews of the last
#: period, the environment, guiding ideology and principles. Generic to Chinese
#: plans (规划/方案/意见), not to one text.
_CONTEXT_HEADING = re.compile(
    r"(期间.{0,20}(情况|成效|回顾)|发展(基础|现状|环境|形势)|环境和趋势|形势与|面临的|"
    r"指导思想|基本原则|编制说明|背景)")
#: A paragraph that reports where things stand (a press report's status line).
_STATUS_OPENING = re.compile(r"^(截至|截止|据(不完全)?统计|数据显示|目前|近年来)")
CONTEXT_KINDS = frozenset(("notice", "title", "preamble"))


def strip_citations(text: str) -> str:
    """The text with 文号 replaced by spaces (offsets kept)."""
    if "号" not in text:  # every 文号 ends so; most passages have none (one C scan)
        return text
    return _WENHAO.sub(lambda m: " " * len(m.group(0)), text)


def is_feature(token: str) -> bool:
    """Whether a word may define a theme or a similarity: 2+ characters, no digits."""
    return len(token) > 1 and not _HAS_DIGIT.search(token)


def passage_role(section_kind: str, heading_path: Sequence[str], text: str) -> str:
    """``commitment``, ``context`` (notice, preamble, review, principles) or ``status``."""
    if section_kind in CONTEXT_KINDS:
        return "context"
    if any(_CONTEXT_HEADING.search(h) for h in heading_path):
        return "context"
    if _STATUS_OPENING.match(text.lstrip()):
        return "status"
    return "commitment"


def is_seed_term(term: str) -> bool:
    """Whether a (stripped) theme term is matched at all: 2+ characters, and not made
    only of digits and date words (a date does not make a theme)."""
    return bool(_HAS_DIGIT.sub("", term).strip("年月日底前后期间至到")) and len(term) >= 2


def term_matches(text: str, terms: Sequence[str], boundaries: set[int]) -> list[str]:
    """Seed terms found in ``text`` at word boundaries (``boundaries``: token edges).

    Terms made only of digits/dates never count (a date does not make a theme).
    """
    found = []
    for term in sorted({t.strip() for t in terms if t and t.strip()}, key=lambda t: (-len(t), t)):
        if not is_seed_term(term):
            continue
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            if start in boundaries and end in boundaries:
                found.append(term)
            start = text.find(term, start + 1)
    return found


@dataclass
class Profile:
    """A theme in the index's term space, and what built it."""

    vector: np.ndarray  # dense, unit length (zeros when the theme has no words at all)
    examples: int
    counter_examples: int


def build_profile(text_vector: np.ndarray, example_rows: RowMatrix | None,
                  counter_rows: RowMatrix | None) -> Profile:
    """Rocchio: description/terms vector plus the mean example minus the mean counter-example."""
    vec = DESCRIPTION_WEIGHT * _unit(text_vector)
    n_pos = 0 if example_rows is None else example_rows.shape[0]
    n_neg = 0 if counter_rows is None else counter_rows.shape[0]
    if n_pos:
        vec = vec + EXAMPLE_WEIGHT * _unit(example_rows.column_means())
    if n_neg:
        vec = vec - COUNTER_WEIGHT * _unit(counter_rows.column_means())
    vec = np.maximum(vec, 0.0)
    return Profile(_unit(vec), n_pos, n_neg)


def profile_similarity(matrix: RowMatrix, profile: Profile) -> np.ndarray:
    """Cosine of every row with the profile, halved where one feature carries it alone."""
    if not profile.vector.any():
        return np.zeros(matrix.shape[0])
    sims = matrix @ profile.vector
    top = matrix.row_max_product(profile.vector)  # each row's largest contribution
    alone = (sims > 0) & (top >= SINGLE_FEATURE_SHARE * np.maximum(sims, 1e-12))
    return np.where(alone, sims * 0.5, sims)


def _unit(vec: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else vec
