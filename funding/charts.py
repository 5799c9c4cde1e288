"""Funding charts as server-rendered SVG, drawn with the benchmark charts'
helpers (same palette, text and frame), so they read alike. Every figure is
also in the table under the chart."""

import math
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from benchmarking.charts import BLUE, GREY, PURPLE, SECONDARY, TEXT, WHITE, WIDTH
from benchmarking.charts import _diamond as diamond
from benchmarking.charts import _line as line
from benchmarking.charts import _svg as svg
from benchmarking.charts import _text as text

TOP, BOTTOM, LEFT = 50, 250, 64


@dataclass(frozen=True)
class SpendBar:
    label: str
    capital: Decimal | None
    revenue: Decimal | None


@dataclass(frozen=True)
class ShareBar:
    label: str
    percent: Decimal | None
    peer_median: Decimal | None


def _rect(x, y, width, height, *, fill, stroke=TEXT):
    return Markup(
        '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}" stroke="{}" '
        'stroke-width="2"/>'
    ).format(x, y, width, max(height, 0), fill, stroke)


def _scale(highest):
    """A round top for the axis, at or above ``highest``."""
    highest = max(float(highest), 0.1)
    power = 10 ** math.floor(math.log10(highest))
    return next(m * power for m in (1, 2, 4, 5, 10) if m * power >= highest)


def _grid(top_value, label):
    marks = []
    for index in range(5):
        value = top_value * index / 4
        y = BOTTOM - (BOTTOM - TOP) * index / 4
        marks.append(line(LEFT, y, WIDTH - 10, y, stroke=GREY, width=1))
        marks.append(text(LEFT - 8, y + 5, label(value), anchor="end", fill=SECONDARY))
    return marks


def _height(value, top_value):
    return (BOTTOM - TOP) * float(value) / top_value


def spend_chart(chart_id, title, bars):
    """IT capital (solid) and revenue (hollow) spend side by side for each
    year, in £ million, each labelled with its value; "Not recorded" where a
    year has no figures."""
    highest = max([b.capital or 0 for b in bars] + [b.revenue or 0 for b in bars]) / Decimal(1e6)
    top_value = _scale(highest)
    body = [
        _rect(0, 12, 24, 14, fill=BLUE),
        text(30, 24, "Capital"),
        _rect(110, 12, 24, 14, fill=WHITE, stroke=BLUE),
        text(140, 24, "Revenue"),
        *_grid(top_value, lambda v: f"£{v:g}m"),
    ]
    slot = (WIDTH - LEFT - 10) / max(len(bars), 1)
    width = min(40, slot / 3)
    for index, bar in enumerate(bars):
        middle = LEFT + slot * (index + 0.5)
        body.append(text(middle, BOTTOM + 22, bar.label, anchor="middle"))
        if bar.capital is None:
            body.append(text(middle, BOTTOM - 8, "Not recorded", anchor="middle", fill=SECONDARY))
            continue
        for x, amount, fill in (
            (middle - width - 2, bar.capital, BLUE),
            (middle + 2, bar.revenue, WHITE),
        ):
            millions = amount / Decimal(1e6)
            height = _height(millions, top_value)
            body.append(_rect(x, BOTTOM - height, width, height, fill=fill, stroke=BLUE))
            body.append(
                text(x + width / 2, BOTTOM - height - 6, f"{millions:.1f}", anchor="middle")
            )
    return svg(chart_id, title, BOTTOM + 40, body)


def share_chart(chart_id, title, bars, benchmark):
    """IT spend as a share of total expenditure for each year as a labelled
    bar, the benchmark as a dashed line across, and the peers' median as a
    purple diamond where there are enough peers to show one."""
    values = [b.percent or 0 for b in bars] + [b.peer_median or 0 for b in bars]
    top_value = _scale(max([*values, benchmark]) * Decimal("1.1"))
    y_benchmark = BOTTOM - _height(benchmark, top_value)
    body = [
        _rect(0, 12, 24, 14, fill=BLUE),
        text(30, 24, "IT share"),
        diamond(130, 19, 7),
        text(142, 24, "Peers' median"),
        line(270, 19, 302, 19, stroke=TEXT, width=2),
        text(308, 24, f"{benchmark:g}% benchmark (NAO 2020)"),
        *_grid(top_value, lambda v: f"{v:g}%"),
        Markup(
            '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="2" '
            'stroke-dasharray="8 5"/>'
        ).format(LEFT, y_benchmark, WIDTH - 10, y_benchmark, TEXT),
    ]
    slot = (WIDTH - LEFT - 10) / max(len(bars), 1)
    width = min(48, slot / 2)
    for index, bar in enumerate(bars):
        middle = LEFT + slot * (index + 0.5)
        body.append(text(middle, BOTTOM + 22, bar.label, anchor="middle"))
        if bar.percent is None:
            body.append(text(middle, BOTTOM - 8, "Not recorded", anchor="middle", fill=SECONDARY))
        else:
            height = _height(bar.percent, top_value)
            body.append(_rect(middle - width / 2, BOTTOM - height, width, height, fill=BLUE))
            body.append(
                text(middle, BOTTOM - height - 6, f"{bar.percent:.1f}%", anchor="middle", bold=True)
            )
        if bar.peer_median is not None:
            y = BOTTOM - _height(bar.peer_median, top_value)
            body.append(diamond(middle + width / 2 + 12, y, 7))
            body.append(
                text(middle + width / 2 + 22, y + 5, f"{bar.peer_median:.1f}%", fill=PURPLE)
            )
    return svg(chart_id, title, BOTTOM + 40, body)
