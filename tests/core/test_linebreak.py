"""Line breaking for the TUI (core.linebreak): figures whole, Chinese line-start rules."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from policydiff.core.linebreak import (
    NO_LINE_END,
    NO_LINE_START,
    cell_width,
    keep_spans,
    line_breaks,
    wrap,
)

PLAN = ("到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元。建设100个以上的"
        "应用场景，形成《上海市人工智能发展规划》的总体布局，GDP占比提高到3.5%。")


def width_of(line: str) -> int:
    return sum(cell_width(c) for c in line)


def test_figures_and_line_starts_at_every_width() -> None:
    for width in range(12, 60):  # 12 cells: narrower than any pane the TUI lays out
        lines = wrap(PLAN, width)
        assert "".join(lines) == PLAN
        assert all(width_of(line) <= width for line in lines), width
        assert not any(line[0] in NO_LINE_START for line in lines[1:]), (width, lines)
        assert not any(line.endswith(("《", "（")) for line in lines), width
        for figure in ("4000亿元", "100个以上", "12%以上", "3.5%", "2025年", "GDP"):
            assert any(figure in line for line in lines), (width, figure, lines)


def test_newlines_kept_and_unbreakable_text_still_fits() -> None:
    assert wrap("第一段。\n第二段。", 40) == ["第一段。", "第二段。"]
    long_figure = "1234567890123456789012345"
    assert all(width_of(line) <= 10 for line in wrap(long_figure, 10))


ALPHABET = list("人工智能产业规模达到亿元万个，。《》、0123456789.% ab")
cjk = st.text(alphabet=st.sampled_from(ALPHABET), max_size=120)


@settings(max_examples=200, deadline=None)
@given(cjk, st.integers(min_value=2, max_value=50))
@example("《00、", 4)  # found by hypothesis: the oracle missed that 00 moves as one unit
@example(".000、", 4)
@example("《0、、", 5)
def test_lines_fit_and_join_back(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines) == text
    assert all(width_of(line) <= width for line in lines)
    for b in line_breaks(text, width):  # a rule is broken only when a line has no other way
        if text[b] in NO_LINE_START:
            line_start = max([0, *[x for x in line_breaks(text, width) if x < b]])
            assert all(text[k] in NO_LINE_START or k == line_start
                       for k in range(line_start, b)) or any(
                s[0] < b < s[1] or s[0] <= line_start < s[1] for s in keep_spans(text)) or (
                # carrying the character before down with it would not fit either, or would
                # leave an opening bracket at the end of the line (another rule broken)
                _carry_start(text, b, line_start) <= line_start
                or sum(cell_width(c) for c in text[_carry_start(text, b, line_start):b + 1])
                > width
                or text[_carry_start(text, b, line_start) - 1] in NO_LINE_END), (text, width, b)


def _carry_start(text: str, b: int, line_start: int) -> int:
    """Where the line would have to break instead of at ``b``: back over the unit before
    ``b`` and over any unit that may not start a line either (、、, a figure)."""
    k = b
    while True:
        k = _unit_start(text, k)
        if k > line_start and text[k] in NO_LINE_START:
            continue
        return k


def _unit_start(text: str, b: int) -> int:
    """Where the unit before break ``b`` starts: the kept span (a figure, a word) holding
    ``b - 1``, else ``b - 1`` itself. Carrying a character down means carrying its unit."""
    return next((s[0] for s in keep_spans(text) if s[0] <= b - 1 < s[1]), b - 1)


def test_an_unavoidable_line_start_comma_is_allowed() -> None:
    """Hypothesis found 《00、 at width 4: carrying 、 down needs the figure 00 with it,
    which leaves 《 at a line end; no break obeys both rules, so 、 starts the line."""
    assert wrap("《00、", 4) == ["《00", "、"]
