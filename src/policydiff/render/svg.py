"""Inline SVG charts for the HTML report: no script, no external file, prints as vectors.

Each function returns one ``<svg>`` element that ``xml.etree`` parses (all text is
escaped, numbers are formatted with a fixed precision so the bytes are stable).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape


def _e(text: str) -> str:
    return escape(str(text), {'"': "&quot;"})


def heat_map(terms: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]],
             title: str = "") -> str:
    """A term × document grid, darker where the rate per 10,000 characters is higher."""
    cell_w, cell_h, left, top = 64, 22, 120, 110
    width = left + cell_w * len(columns) + 70
    height = top + cell_h * len(terms) + 10
    peak = max((v for row in values for v in row), default=0.0) or 1.0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{_e(title or 'terms over time')}</title>"]
    for j, col in enumerate(columns):
        x = left + j * cell_w + cell_w / 2
        out.append(f'<text x="{x:.1f}" y="{top - 6}" font-size="11" '
                   f'transform="rotate(-40 {x:.1f} {top - 6})">{_e(col)}</text>')
    for i, term in enumerate(terms):
        y = top + i * cell_h
        out.append(f'<text x="{left - 6}" y="{y + 15}" font-size="12" '
                   f'text-anchor="end">{_e(term)}</text>')
        for j, v in enumerate(values[i]):
            shade = 0.08 + 0.92 * (v / peak) if v > 0 else 0.0
            out.append(f'<rect x="{left + j * cell_w}" y="{y}" width="{cell_w - 2}" '
                       f'height="{cell_h - 2}" fill="#1f5fa8" fill-opacity="{shade:.2f}" '
                       f'stroke="#ddd"><title>{_e(term)} · {_e(columns[j])}: {v:.1f} per 10k'
                       f'</title></rect>')
            colour = "#fff" if shade > 0.55 else "#222"
            out.append(f'<text x="{left + j * cell_w + cell_w / 2 - 1:.1f}" y="{y + 15}" '
                       f'font-size="10" text-anchor="middle" fill="{colour}">{v:.1f}</text>')
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Point:
    """One figure on the timeline: its year, value (in the metric's unit), label, scope."""

    year: int
    value: float
    label: str
    scope: str
    anchor: str = ""


def timeline(metric: str, points: Sequence[Point], unit: str = "") -> str:
    """Figures of one metric on a time axis (log scale when they span over 10×), scope labelled."""
    width, height, left, right, top, bottom = 560, 190, 60, 150, 24, 30
    years = [p.year for p in points]
    y0, y1 = min(years), max(years)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    vals = [p.value for p in points if p.value > 0] or [1.0]
    lo, hi = min(vals), max(vals)
    log = hi / lo > 10
    if log:
        lo, hi = math.log10(lo), math.log10(hi)
    if hi == lo:
        lo, hi = lo * 0.5 if lo else -1, hi * 1.5 if hi else 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(year: int) -> float:
        return left + (year - y0) / (y1 - y0) * plot_w

    def py(v: float) -> float:
        x = math.log10(v) if log and v > 0 else v
        return top + plot_h - (x - lo) / (hi - lo) * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{_e(metric)}</title>",
           f'<text x="{left}" y="14" font-size="12" font-weight="bold">{_e(metric)}'
           f'{(" (" + _e(unit) + (", log scale" if log else "") + ")") if unit else ""}</text>',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
           f'stroke="#888"/>']
    for year in range(y0, y1 + 1):
        out.append(f'<text x="{px(year):.1f}" y="{height - 10}" font-size="10" '
                   f'text-anchor="middle">{year}</text>')
    for p in sorted(points, key=lambda p: (p.year, p.value, p.label)):
        x, y = px(p.year), py(p.value)
        dot = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#c0392b"><title>{_e(p.label)} · '
               f'{_e(p.scope)}</title></circle><text x="{x + 6:.1f}" y="{y + 4:.1f}" '
               f'font-size="10">{_e(p.label)} · {_e(p.scope)}</text>')
        out.append(f'<a href="#{_e(p.anchor)}">{dot}</a>' if p.anchor else dot)
    out.append("</svg>")
    return "".join(out)
