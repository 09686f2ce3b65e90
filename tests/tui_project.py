"""A small TUI test project (corpus copy, themes, alignments, git) and the Pilot helpers,
shared by the TUI tests, the snapshots and the speed tests (a test module imports these,
never another test module)."""


from __future__ import annotations

import asyncio
import functools
import io
import shutil
from pathlib import Path

from conftest import copy_project, init_git
from policydiff.core.alignment import Alignment, Member
from policydiff.core.anchors import make_anchor
from policydiff.store.corpus import load_corpus
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[1]
COMPARE_DATA = REPO / "tests" / "data" / "compare" / "corpus"

THEMES_YAML = """\
themes:
  - id: targets
    name_zh: 发展目标
    name_en: Targets
    description: Quantitative goals of each plan.
    terms: [产业规模, 亿元]
  - id: talent
    name_zh: 人才
    name_en: Talent
    description: Talent goals.
    terms: [人才]
"""

# (id, theme, label, status, [(doc, quote) or (doc, None, absent note)])
ALIGNMENTS = [
    ("targets-scale", "targets", "Industry scale goal", "proposed", [
        ("2017-opinions", "到2020年，上海将实现人工智能重点产业规模超过1000亿"),
        ("2021-14th-plan", "到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元。"),
        ("2022-pudong-plan", "到2023年，浦东新区将实现人工智能相关产业规模突破2000亿元"),
        ("2022-lingang-plan", "临港新片区力争用3年时间，集聚AI人才2-3万人，汇集企业500家，"
                              "产业规模升至500亿元"),
    ]),
    ("talent-hub", "talent", "Talent hub", "accepted", [
        ("2017-opinions", "到2020年，基本建成人工智能人才高地，培育10家具有相当影响力的人工智能"
                          "创新标杆企业。"),
        ("2021-14th-plan", "加快完善人才支撑体系。"),
        ("2022-pudong-plan", None, "no talent figure in the Pudong report"),
    ]),
    ("talent-training", "talent", "Training system", "rejected", [
        ("2021-14th-plan", "人才培养体系成型。"),
        ("2021-14th-plan-news", "上海也集聚了一批批人工智能企业家和专业人才。"),
    ]),
]


def build_alignments(root: Path) -> None:
    """themes.yaml and three alignments written through the store (real anchors)."""
    from policydiff.store.alignments import load_store

    project = Project(root)
    (root / "alignments" / "themes.yaml").write_text(THEMES_YAML, encoding="utf-8")
    corpus = load_corpus(project)
    store = load_store(project)
    for al_id, theme, label, status, members in ALIGNMENTS:
        built = []
        for doc_id, quote, *absent in members:
            doc = corpus.get(doc_id)
            if quote is None:
                built.append(Member(doc_id, None, None, absent=True, note=absent[0]))
                continue
            start = doc.body.index(quote)
            built.append(Member(doc_id, doc.section_at(start).id,
                                make_anchor(doc.body, start, start + len(quote))))
        store.add(Alignment(al_id, theme, label, status, f"why {label}", built))
        store = load_store(project)


def make_project(dest: Path, git: bool = True) -> Path:
    """A project in ``dest``: the repo's corpus, targets files, test alignments; a git repo."""
    copy_project(dest, alignments=False)
    (dest / "alignments").mkdir()
    for name in ("metrics.yaml", "target-overrides.yaml"):
        if (REPO / "alignments" / name).exists():
            shutil.copy(REPO / "alignments" / name, dest / "alignments" / name)
    build_alignments(dest)
    if git:
        init_git(dest, "initial corpus and alignments", name="Test Reviewer",
                 email="reviewer@example.org")
    return dest




def make_docs_project(dest: Path, git: bool = False) -> Path:
    """The TUI test project with a regulation's draft and final added to the corpus
    (tests/data/compare/corpus, composed for the compare tests; one ``policy`` key)."""
    make_project(dest, git=git)
    for name in ("ai-reg-draft.md", "ai-reg-final.md"):
        shutil.copy(COMPARE_DATA / name, dest / "corpus" / name)
    return dest


# ---------------------------------------------------------------------- Pilot helpers


def sync(test):
    """Run an async Pilot test with asyncio (no pytest async plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


def app_for(root: Path, **kwargs):
    """The app on ``root`` without the segmenter preload; the file watcher off unless
    asked for (tests call ``app.poll_files()`` so a reload happens when they say)."""
    from policydiff.tui.app import PolicydiffApp

    kwargs.setdefault("watch_interval", None)
    return PolicydiffApp(root, preload_segmenter=False, **kwargs)


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers (diffs, history) finish and the screen catch up."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def steady_cursors(pilot) -> None:
    """Stop text cursors blinking so a snapshot does not depend on when it is taken.

    An Input's or TextArea's cursor blinks every half second; a snapshot taken on a busy
    machine a little later than usual caught it hidden (CI failed on the note dialog).
    With blinking off a focused field shows its cursor steadily, as in the stored pictures.
    """
    from textual.widgets import Input, TextArea

    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press ``keys`` as the user would, then let the app settle (see :func:`settle`)."""
    await pilot.press(*keys)
    await settle(pilot)


def plain(widget) -> str:
    """A widget's text as a reader sees it (Rich tables rendered too)."""
    from rich.console import Console
    from rich.text import Text
    from textual.content import Content

    content = widget.content if hasattr(widget, "content") else widget.render()
    if isinstance(content, str | Text | Content):
        return str(content) if not isinstance(content, Text) else content.plain
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(content)
    return console.export_text()
