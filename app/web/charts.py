"""Server-rendered SVG charts for the after-action review: no script, no chart library.

Each chart is a <figure>: a visible title and note, the SVG (role="img", named by its
<title> and described by a <desc> that sums the data up in words), an HTML legend, and
the data as a table in a <details>. Every series has its own colour, marker shape and
dash pattern, so the lines stay apart in grey print and for colour-blind readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.i18n import N_, _, format_number, format_share

# Okabe-Ito hues, darkened where needed: every colour has at least 3:1 contrast on white.
PALETTE = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#a0468c",
    "#8a6100",
    "#1b2430",
    "#00798c",
    "#b42318",
)
DASHES = ("", "7 4", "2 3", "10 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "ring", "box", "cross")
REFERENCE_COLOUR = "#8f1d13"
NOTHING_TO_CHART = N_("Nothing to chart yet.")
INK, MUTED, GRID = "#1b2430", "#4a5565", "#d9dee5"

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 58, 18, 14, 52
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
PAD = 24  # between the y axis and the first point (and the last point and the edge)


@dataclass(frozen=True)
class Plot:
    """One series: a line, or a part of the stacked bars."""

    name: str
    values: Sequence[float | None]
    style: int = 0  # index into the colours, dashes and markers


@dataclass(frozen=True)
class Reference:
    """A horizontal line the reader compares against (a threshold)."""

    value: float
    label: str


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _amount(value: float) -> str:
    """A value for the reader (not an SVG coordinate): as their language writes numbers."""
    tenths = round(value, 1)
    return format_number(tenths, 1) if tenths % 1 else format_number(tenths)


def _colour(style: int) -> str:
    return PALETTE[style % len(PALETTE)]


def _dash(style: int) -> str:
    return DASHES[(style // len(PALETTE) + style) % len(DASHES)]


def marker(style: int, x: float, y: float, size: float = 4.5, inner: str = "") -> str:
    """The SVG shape of series `style` centred on (x, y), with `inner` (a <title>) in it."""
    shape, colour = MARKERS[style % len(MARKERS)], _colour(style)
    filled = f'fill="{colour}" stroke="{colour}"'
    hollow = f'fill="#fff" stroke="{colour}" stroke-width="2"'
    s = size
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(s)}" {filled}>{inner}</circle>'
    if shape == "ring":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(s)}" {hollow}>{inner}</circle>'
    if shape in ("square", "box"):
        attrs = filled if shape == "square" else hollow
        return (
            f'<rect x="{_num(x - s)}" y="{_num(y - s)}" width="{_num(2 * s)}" '
            f'height="{_num(2 * s)}" {attrs}>{inner}</rect>'
        )
    points = {
        "triangle": [(0, -1.25), (1.15, 0.9), (-1.15, 0.9)],
        "triangle-down": [(0, 1.25), (1.15, -0.9), (-1.15, -0.9)],
        "diamond": [(0, -1.35), (1.2, 0), (0, 1.35), (-1.2, 0)],
        "cross": [
            (-0.35, -1.2),
            (0.35, -1.2),
            (0.35, -0.35),
            (1.2, -0.35),
            (1.2, 0.35),
            (0.35, 0.35),
            (0.35, 1.2),
            (-0.35, 1.2),
            (-0.35, 0.35),
            (-1.2, 0.35),
            (-1.2, -0.35),
            (-0.35, -0.35),
        ],
    }[shape]
    path = " ".join(f"{_num(x + dx * s)},{_num(y + dy * s)}" for dx, dy in points)
    return f'<polygon points="{path}" {filled}>{inner}</polygon>'


def _key(style: int) -> str:
    """A legend key: a short stretch of the series' line with its marker."""
    colour, dash = _colour(style), _dash(style)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg class="legend-key" width="34" height="14" viewBox="0 0 34 14" aria-hidden="true" '
        'focusable="false">'
        f'<line x1="1" y1="7" x2="33" y2="7" stroke="{colour}" stroke-width="2.5"{dashed}/>'
        f"{marker(style, 17, 7, 4)}</svg>"
    )


def _bar_key(style: int) -> str:
    return (
        '<svg class="legend-key" width="16" height="14" viewBox="0 0 16 14" aria-hidden="true" '
        f'focusable="false"><rect x="1" y="1" width="14" height="12" fill="{_colour(style)}"/>'
        "</svg>"
    )


def _reference_key() -> str:
    return (
        '<svg class="legend-key" width="34" height="14" viewBox="0 0 34 14" aria-hidden="true" '
        f'focusable="false"><line x1="1" y1="7" x2="33" y2="7" stroke="{REFERENCE_COLOUR}" '
        'stroke-width="1.5" stroke-dasharray="5 3"/></svg>'
    )


def ticks(low: float, high: float, step: float | None = None) -> list[float]:
    """Round tick values from `low` to `high` (about five of them unless `step` is given)."""
    if high <= low:
        return [low]
    if step is None:
        raw = (high - low) / 5
        magnitude = 10 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    count = math.floor((high - low) / step + 1e-9)
    return [low + i * step for i in range(count + 1)]


def _xs(count: int) -> list[float]:
    if count == 1:
        return [LEFT + PLOT_W / 2]
    span = PLOT_W - 2 * PAD
    return [LEFT + PAD + i * span / (count - 1) for i in range(count)]


def _frame(
    chart_id: str,
    title: str,
    described: str,
    x_labels: Sequence[str],
    xs: Sequence[float],
    x_title: str,
    y_title: str,
    y_ticks: Sequence[float],
    y_of: Callable[[float], float],
    y_format: Callable[[float], str],
) -> list[str]:
    """The opening of the SVG: title, description, grid, axes, tick labels, axis titles."""
    out = [
        f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        'font-family="inherit">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(described)}</desc>',
    ]
    bottom = TOP + PLOT_H
    for value in y_ticks:
        y = y_of(value)
        out.append(
            f'<line x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 8}" y="{_num(y + 4)}" text-anchor="end" font-size="12" '
            f'fill="{MUTED}">{escape(y_format(value))}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="{INK}" '
        'stroke-width="1"/>'
    )
    for x, label in zip(xs, x_labels, strict=True):
        out.append(
            f'<line x1="{_num(x)}" y1="{bottom}" x2="{_num(x)}" y2="{bottom + 5}" stroke="{INK}"/>'
        )
        out.append(
            f'<text x="{_num(x)}" y="{bottom + 19}" text-anchor="middle" font-size="12" '
            f'fill="{INK}">{escape(label)}</text>'
        )
    out.append(
        f'<text x="{LEFT + PLOT_W / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="12.5" '
        f'font-weight="600" fill="{INK}">{escape(x_title)}</text>'
    )
    middle = TOP + PLOT_H / 2
    out.append(
        f'<text x="16" y="{middle:.0f}" text-anchor="middle" font-size="12.5" font-weight="600" '
        f'fill="{INK}" transform="rotate(-90 16 {middle:.0f})">{escape(y_title)}</text>'
    )
    return out


def _figure(
    chart_id: str,
    title: str,
    note: str,
    svg: str,
    legend: Sequence[str],
    table: str,
) -> Markup:
    items = "".join(f"<li>{item}</li>" for item in legend)
    legend_label = escape(_("Legend of %(chart)s", chart=title))
    data_table = escape(_("Data table"))
    return Markup(
        f'<figure class="chart" id="{chart_id}" aria-labelledby="{chart_id}-caption">'
        f'<figcaption id="{chart_id}-caption"><span class="chart-title">{escape(title)}</span>'
        + (f' <span class="chart-note">{escape(note)}</span>' if note else "")
        + "</figcaption>"
        f"{svg}"
        f'<ul class="chart-legend" aria-label="{legend_label}">{items}</ul>'
        f'<details class="chart-data"><summary>{data_table}</summary>{table}</details>'
        "</figure>"
    )


def _table(
    title: str,
    x_names: Sequence[str],
    x_heading: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    extra: Sequence[tuple[str, Sequence[str]]] = (),
) -> str:
    head = "".join(f'<th scope="col" class="num">{escape(c)}</th>' for c in columns)
    body = []
    for name, cells in [*zip(x_names, rows, strict=True), *extra]:
        tds = "".join(f'<td class="num">{escape(c)}</td>' for c in cells)
        body.append(f'<tr><th scope="row">{escape(name)}</th>{tds}</tr>')
    return (
        '<div class="table-scroll"><table class="table compact">'
        f'<caption class="visually-hidden">{escape(title)}</caption>'
        f'<thead><tr><th scope="col">{escape(x_heading)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _describe(plots: Sequence[Plot], x_names: Sequence[str], fmt: Callable[[float], str]) -> str:
    """Each series in words: where it starts and ends, its lowest and highest."""
    parts = []
    for plot in plots:
        known = [(n, v) for n, v in zip(x_names, plot.values, strict=True) if v is not None]
        if not known:
            parts.append(_("%(series)s: no values.", series=plot.name))
            continue
        (first_at, first), (last_at, last) = known[0], known[-1]
        low, high = min(v for _, v in known), max(v for _, v in known)
        if len(known) == 1:
            parts.append(
                _(
                    "%(series)s: %(value)s at %(at)s.",
                    series=plot.name,
                    value=fmt(first),
                    at=first_at,
                )
            )
        else:
            parts.append(
                _(
                    "%(series)s: %(first)s at %(first_at)s, %(last)s at %(last_at)s "
                    "(lowest %(low)s, highest %(high)s).",
                    series=plot.name,
                    first=fmt(first),
                    first_at=first_at,
                    last=fmt(last),
                    last_at=last_at,
                    low=fmt(low),
                    high=fmt(high),
                )
            )
    return " ".join(parts)


def line_chart(
    *,
    chart_id: str,
    title: str,
    note: str,
    x_labels: Sequence[str],
    x_names: Sequence[str],
    x_title: str,
    y_title: str,
    plots: Sequence[Plot],
    y_min: float = 0,
    y_max: float = 100,
    y_step: float | None = None,
    references: Sequence[Reference] = (),
    fmt: Callable[[float], str] = _amount,
    table_fmt: Callable[[float], str] | None = None,
    empty: str = NOTHING_TO_CHART,
) -> Markup:
    """Lines over the points of a game (gaps where a value is None). `fmt` writes the
    values on the axis and in the description, `table_fmt` (else `fmt`) in the table."""
    if not x_labels or not plots or all(v is None for p in plots for v in p.values):
        return Markup(
            f'<figure class="chart chart-empty" id="{chart_id}"><figcaption>'
            f'<span class="chart-title">{escape(title)}</span></figcaption>'
            f'<p class="muted small">{escape(_(empty))}</p></figure>'
        )
    values = [v for p in plots for v in p.values if v is not None]
    y_max = max(y_max, *values)
    y_min = min(y_min, *values)

    def y_of(value: float) -> float:
        return TOP + PLOT_H * (1 - (value - y_min) / (y_max - y_min or 1))

    xs = _xs(len(x_labels))
    described = f"{note} {_describe(plots, x_names, fmt)}".strip()
    out = _frame(
        chart_id,
        title,
        described,
        x_labels,
        xs,
        x_title,
        y_title,
        ticks(y_min, y_max, y_step),
        y_of,
        fmt,
    )
    for reference in references:
        y = y_of(reference.value)
        out.append(
            f'<line x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" y2="{_num(y)}" '
            f'stroke="{REFERENCE_COLOUR}" stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
        out.append(
            f'<text x="{WIDTH - RIGHT - 4}" y="{_num(y - 5)}" text-anchor="end" font-size="11.5" '
            f'fill="{REFERENCE_COLOUR}">{escape(reference.label)}</text>'
        )
    for plot in plots:
        colour, dash = _colour(plot.style), _dash(plot.style)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        runs: list[list[str]] = []
        for x, value in zip(xs, plot.values, strict=True):
            if value is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{_num(x)},{_num(y_of(value))}")
        if run:
            runs.append(run)
        out.append(f'<g class="series" data-series="{escape(plot.name)}">')
        for stretch in runs:
            if len(stretch) > 1:
                out.append(
                    f'<polyline points="{" ".join(stretch)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" stroke-linejoin="round"{dashed}/>'
                )
        for x, name, value in zip(xs, x_names, plot.values, strict=True):
            if value is not None:
                label = f"{plot.name}, {name}: {fmt(value)}"
                out.append(
                    marker(plot.style, x, y_of(value), inner=f"<title>{escape(label)}</title>")
                )
        out.append("</g>")
    out.append("</svg>")
    legend = [f"{_key(p.style)}{escape(p.name)}" for p in plots]
    legend += [f"{_reference_key()}{escape(r.label)}" for r in references]
    rows = [[_cell(p.values[i], table_fmt or fmt) for p in plots] for i in range(len(x_names))]
    table = _table(title, x_names, x_title, [p.name for p in plots], rows)
    return _figure(chart_id, title, note, "".join(out), legend, table)


def _cell(value: float | None, fmt: Callable[[float], str]) -> str:
    return "—" if value is None else fmt(value)


def share_chart(
    *,
    chart_id: str,
    title: str,
    note: str,
    x_labels: Sequence[str],
    x_names: Sequence[str],
    x_title: str,
    y_title: str,
    parts: Sequence[Plot],
    reference_row: tuple[str, Sequence[float]] | None = None,
    empty: str = NOTHING_TO_CHART,
) -> Markup:
    """100% stacked bars: each part's share of the total at each x (amounts in, shares
    drawn); the table gives both. `reference_row` adds a row of shares to the table (a
    fair share, say)."""
    if not x_labels or not parts:
        return Markup(
            f'<figure class="chart chart-empty" id="{chart_id}"><figcaption>'
            f'<span class="chart-title">{escape(title)}</span></figcaption>'
            f'<p class="muted small">{escape(_(empty))}</p></figure>'
        )
    totals = [sum(max(0.0, p.values[i] or 0.0) for p in parts) for i in range(len(x_labels))]

    def share(part: Plot, index: int) -> float | None:
        value = part.values[index]
        if not totals[index] or value is None:
            return None
        return max(0.0, value) / totals[index]

    def y_of(value: float) -> float:
        return TOP + PLOT_H * (1 - value)

    xs = _xs(len(x_labels))
    step = (PLOT_W - 2 * PAD) / max(1, len(x_labels) - 1) if len(x_labels) > 1 else PLOT_W
    bar = min(56.0, step * 0.6)
    words = []
    for i, name in enumerate(x_names):
        if not totals[i]:
            words.append(_("%(turn)s: nothing spent.", turn=name))
            continue
        shares = ", ".join(
            f"{p.name} {format_share(s)}" for p in parts if (s := share(p, i)) is not None and s > 0
        )
        words.append(f"{name}: {shares}.")
    described = f"{note} {' '.join(words)}".strip()
    out = _frame(
        chart_id,
        title,
        described,
        x_labels,
        xs,
        x_title,
        y_title,
        ticks(0, 1, 0.25),
        y_of,
        format_share,
    )
    bottom = TOP + PLOT_H
    for i, (x, name) in enumerate(zip(xs, x_names, strict=True)):
        if not totals[i]:
            out.append(
                f'<text x="{_num(x)}" y="{bottom - 8}" text-anchor="middle" font-size="11.5" '
                f'fill="{MUTED}">{escape(_("none"))}</text>'
            )
            continue
        level = 0.0
        for part in parts:
            s = share(part, i)
            if not s:
                continue
            top, low = y_of(level + s), y_of(level)
            value = part.values[i] or 0
            label = _(
                "%(part)s, %(turn)s: %(share)s (%(amount)s of %(total)s)",
                part=part.name,
                turn=name,
                share=format_share(s),
                amount=_amount(value),
                total=_amount(totals[i]),
            )
            out.append(
                f'<rect x="{_num(x - bar / 2)}" y="{_num(top)}" width="{_num(bar)}" '
                f'height="{_num(low - top)}" fill="{_colour(part.style)}" stroke="#fff" '
                f'stroke-width="1"><title>{escape(label)}</title></rect>'
            )
            level += s
    out.append("</svg>")
    legend = [f"{_bar_key(p.style)}{escape(p.name)}" for p in parts]
    rows = []
    for i in range(len(x_names)):
        cells = []
        for part in parts:
            s = share(part, i)
            amount = part.values[i] or 0
            cells.append("—" if s is None else f"{format_share(s)} ({_amount(amount)})")
        cells.append(_amount(totals[i]))
        rows.append(cells)
    extra: list[tuple[str, Sequence[str]]] = []
    if reference_row is not None:
        extra.append((reference_row[0], [format_share(v) for v in reference_row[1]] + [""]))
    table = _table(title, x_names, x_title, [*(p.name for p in parts), _("Total")], rows, extra)
    return _figure(chart_id, title, note, "".join(out), legend, table)
