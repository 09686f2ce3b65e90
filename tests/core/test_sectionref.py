"""find_section: the section an analyst names by id or by the numbering the text prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policydiff.core.document import document_from_front
from policydiff.core.sectionref import find_section

COMPARE = Path(__file__).resolve().parents[1] / "data" / "compare" / "corpus"

NOTICE = """# 关于推进某项工作的通知

各区人民政府：

# 一、总体要求

总的要求是这样。

## （一）指导思想

坚持问题导向。

## （二）主要目标

到2025年，达到某个目标。

# 二、重点任务

## （一）建设平台

建设平台。

### 1. 算力平台

建设算力平台。

# 十二、保障措施

加强保障。
"""


LAW = """# 某某条例

## 第一章 总则

### 第一条（立法目的）

为了规范某事，制定本条例。

### 第二条

本条例适用于本市。

## 第二章 发展

### 第一节 基础

#### 第三条

建设设施。

### 第二节 应用

#### 第十二条（场景）

开放场景。
"""


def doc(body: str, doc_id: str = "d"):
    return document_from_front({"id": doc_id, "title": "t", "date": "2024-01-01"}, body)


def ids(d, refs):
    return {r: (s.id if (s := find_section(d, r)) else None) for r in refs}


def test_ids_and_printed_numbering_of_a_notice() -> None:
    d = doc(NOTICE)
    assert ids(d, ["1.2", "2.1.1", "１．２", "§2.1", "十二", "12", "二、", "（二）",
                   "保障措施", "h1", "H1"]) == {
        "1.2": "1.2", "2.1.1": "2.1.1", "１．２": "1.2", "§2.1": "2.1", "十二": "12",
        "12": "12", "二、": "2", "（二）": "1.2", "保障措施": None, "h1": "h1", "H1": "h1"}
    assert find_section(d, "十二、保障措施").id == "12"  # the heading as printed


def test_legal_numbering() -> None:
    d = doc(LAW)
    found = ids(d, ["第十二条", "十二", "12", "第12条", "第 十二 条", "第二章", "第二章第二节",
                    "a3", "第三条", "第九条", "第三章", "9.9", "", "   "])
    assert found["第十二条"] == found["十二"] == found["12"] == found["第12条"] \
        == found["第 十二 条"]
    assert find_section(d, "第十二条").heading.startswith("第十二条")
    assert find_section(d, "第二章").id == "ch2"
    assert find_section(d, "第二章第二节").heading == "第二节 应用"
    assert found["a3"] == found["第三条"] and found["a3"] is not None
    assert found["第九条"] is None and found["第三章"] is None and found["9.9"] is None
    assert found[""] is None and found["   "] is None


@pytest.mark.parametrize("name", ["ai-reg-draft.md", "ai-reg-final.md", "data-reg-final.md",
                                  "eldercare-final.md", "dig-plan-final.md", "ev-news.md"])
def test_every_section_is_found_by_its_id_and_legal_ones_by_their_heading(name: str) -> None:
    from policydiff.store.corpus import load_document

    d = load_document(COMPARE / name)
    for s in d.sections:
        assert find_section(d, s.id) is s
        if s.kind in ("chapter", "article") and "." not in s.id:
            assert find_section(d, s.numbering) is s, s.numbering


@given(st.text(max_size=12))
def test_never_raises(ref: str) -> None:
    d = doc(LAW)
    found = find_section(d, ref)
    assert found is None or found in d.sections
