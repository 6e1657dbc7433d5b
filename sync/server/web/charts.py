"""Charts drawn on the server as SVG: no chart library, no script, nothing fetched from the internet,
and they print. Vertical bars for a series over time (calls per week, visits per day), horizontal bars
for comparing classes or schools (compliance); a dashed line marks a rule's target, and bars under it
are drawn in the warning colour. Every chart carries its title and values as text for screen readers.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from sync.server.reports.table import Chart

_WIDTH = 720


def svg(chart: Chart) -> Markup:
    if not chart.bars:
        return Markup("")
    return _horizontal(chart) if chart.horizontal else _vertical(chart)


def _describe(chart: Chart) -> str:
    values = "; ".join(f"{b.label}: {b.value:g}{chart.unit}" for b in chart.bars)
    return escape(f"{chart.title}. {values}")


def _vertical(chart: Chart) -> Markup:
    height, left, bottom, top = 220, 36, 30, 16
    plot_w, plot_h = _WIDTH - left - 8, height - bottom - top
    peak = max([b.value for b in chart.bars] + [chart.target or 0, 1])
    step = plot_w / len(chart.bars)
    bar_w = max(step * 0.7, 1)
    label_every = max(1, round(len(chart.bars) / 16))
    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {height}" role="img" aria-label="{_describe(chart)}">',
        f"<title>{escape(chart.title)}</title>",
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{_WIDTH - 8}" y2="{top + plot_h}"/>'  # noqa: E501
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{peak:g}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, bar in enumerate(chart.bars):
        h = plot_h * bar.value / peak
        x = left + i * step + (step - bar_w) / 2
        css = "bar low" if bar.low else "bar"
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{top + plot_h - h:.1f}" '
            f'width="{bar_w:.1f}" height="{h:.1f}">'
            f"<title>{escape(bar.label)}: {bar.value:g}{escape(chart.unit)}</title></rect>"
        )
        if len(chart.bars) <= 31 and bar.value:  # few bars: each carries its value
            above, centre = top + plot_h - h - 3, x + bar_w / 2
            parts.append(f'<text x="{centre:.1f}" y="{above:.1f}" text-anchor="middle">{bar.value:g}</text>')
        if i % label_every == 0:
            label, centre = escape(bar.label), x + bar_w / 2
            parts.append(f'<text x="{centre:.1f}" y="{height - 10}" text-anchor="middle">{label}</text>')
    if chart.target is not None:
        y = top + plot_h - plot_h * chart.target / peak
        parts.append(f'<line class="target" x1="{left}" y1="{y:.1f}" x2="{_WIDTH - 8}" y2="{y:.1f}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _horizontal(chart: Chart) -> Markup:
    row_h, left, right = 22, 150, 60
    height = row_h * len(chart.bars) + 10
    peak = max([b.value for b in chart.bars] + [chart.target or 0, 1])
    if chart.unit == "%":
        peak = max(peak, 100)
    plot_w = _WIDTH - left - right
    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {height}" role="img" aria-label="{_describe(chart)}">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for i, bar in enumerate(chart.bars):
        y = 5 + i * row_h
        w = plot_w * bar.value / peak
        css = "bar low" if bar.low else "bar"
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(bar.label[:14])}</text>')
        parts.append(f'<rect class="{css}" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 14}">{bar.value:g}{escape(chart.unit)}</text>')
    if chart.target is not None:
        x = left + plot_w * chart.target / peak
        parts.append(f'<line class="target" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
