"""Bar charts as plain SVG, drawn on the server: readable in print, in the PDF and
without JavaScript. (Our own few lines instead of matplotlib: the charts are simple
bars, and SVG we write ourselves is small, deterministic and needs no fonts.)

Only published figures are drawn, as the reader sees them: a figure that is not an
exact count ("<5", "•", "fewer than 10") gets no bar, only its text."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

WIDTH, LABEL, BAR, GAP = 640, 230, 12, 10
NOW, BEFORE = "#0b4f71", "#9cc3d5"


def _length(shown: str) -> int:
    return int(shown) if shown.isdigit() else 0


def bars(title: str, rows: list[tuple[str, str, str]], legend: tuple[str, str]) -> SafeString:
    """``rows``: (label, this year's figure, last year's figure), as published."""
    top = 52
    height = top + len(rows) * (2 * BAR + GAP) + 8
    visible = [_length(shown) for _l, now, before in rows for shown in (now, before)]
    scale = (WIDTH - LABEL - 60) / max([*visible, 1])
    # Each chart on a page is named by its own title: the id comes from the title.
    title_id = f"chart-{slugify(title)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="{title_id}" class="chart">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<rect x="{LABEL}" y="26" width="10" height="10" fill="{NOW}"/>'
        f'<text x="{LABEL + 14}" y="35" font-size="11">{escape(legend[0])}</text>',
        f'<rect x="{LABEL + 110}" y="26" width="10" height="10" fill="{BEFORE}"/>'
        f'<text x="{LABEL + 124}" y="35" font-size="11">{escape(legend[1])}</text>',
    ]
    for index, (label, now, before) in enumerate(rows):
        y = top + index * (2 * BAR + GAP)
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + BAR + 4}" font-size="11" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for offset, shown, colour in ((0, now, NOW), (BAR, before, BEFORE)):
            length = _length(shown) * scale
            parts.append(
                f'<rect x="{LABEL}" y="{y + offset}" width="{length:.1f}" height="{BAR - 1}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL + length + 4:.1f}" y="{y + offset + BAR - 2}" font-size="10">'
                f"{escape(shown)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
