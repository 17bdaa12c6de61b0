"""Bar charts drawn on the server as SVG: no JavaScript, readable by screen readers.

Each chart has role="img" with a <title> and a <desc> summarising every value, and every bar
is labelled with its value in text, so nothing is told by colour or length alone. The page
shows the same numbers in a table beside the chart. Labels are escaped: categories and week
names are data.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LABEL_WIDTH = 250
VALUE_WIDTH = 60
BAR_HEIGHT = 22
GAP = 8


def bar_chart(
    *, chart_id: str, title: str, rows: Sequence[tuple[str, int]], css_class: str = ""
) -> SafeString:
    """A horizontal bar chart of (label, value) rows."""
    top = max((value for _, value in rows), default=0) or 1
    bar_room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    summary = "; ".join(f"{label}: {value}" for label, value in rows) or "No data"
    bars = format_html_join(
        "",
        '<g class="chart-row">'
        '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>'
        "</g>",
        (
            (
                LABEL_WIDTH - GAP,
                GAP + index * (BAR_HEIGHT + GAP) + BAR_HEIGHT * 0.7,
                _shorten(label),
                LABEL_WIDTH,
                GAP + index * (BAR_HEIGHT + GAP),
                round(bar_room * value / top, 1),
                BAR_HEIGHT,
                LABEL_WIDTH + round(bar_room * value / top, 1) + 6,
                GAP + index * (BAR_HEIGHT + GAP) + BAR_HEIGHT * 0.7,
                value,
            )
            for index, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="bar-chart {}" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        css_class,
        WIDTH,
        height,
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        summary,
        bars,
    )


def _shorten(label: str, limit: int = 34) -> str:
    # The full label is in the <desc> and in the table beside the chart.
    return label if len(label) <= limit else label[: limit - 1] + "…"
