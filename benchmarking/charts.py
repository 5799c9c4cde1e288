"""Charts as server-rendered SVG: small pure functions from figures to markup.

Every chart is an image with a title, described by the caption of the figure
it sits in (``{id}-caption``), and every figure in it is also in a table
beside it. Colours are the NHS palette and each mark contrasts at least 3:1
with what is behind it; nothing is told by colour alone (marks differ in
shape and the organisation's own marks are labelled). Scores run 0 to 5.

Markup is built only with ``Markup(template).format(...)``, which escapes
every value put into it.
"""

from dataclasses import dataclass

from markupsafe import Markup

BLUE = "#005eb8"
TEXT = "#212b32"
SECONDARY = "#4c6272"
GREY = "#d8dde0"
PURPLE = "#330072"
WHITE = "#ffffff"

SCALE = (0, 5)
WIDTH = 760
CHAR = 7.6  # rough width of one 14px character, for sizing label columns
TALLEST = 40  # dots in a stack of the dot chart


@dataclass(frozen=True)
class SpreadRow:
    """One row of a spread chart: the peers' spread (None when there are no
    peers) and, optionally, one organisation's score."""

    label: str
    spread: object = None
    score: float | None = None
    private: bool = False


@dataclass(frozen=True)
class Dot:
    label: str
    score: float
    is_you: bool = False


@dataclass(frozen=True)
class Point:
    """One round's score; ``series`` names its source, and points of different
    series are never joined."""

    label: str
    score: float | None
    series: str = ""


def _join(parts):
    return Markup("").join(parts)


def _svg(chart_id, title, height, body):
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height:.0f}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title" aria-describedby="{id}-caption" '
        'font-family="Frutiger W01, Arial, sans-serif" font-size="14" fill="{fill}">'
        '<title id="{id}-title">{title}</title>'
        '<rect width="100%" height="100%" fill="{background}"/>{body}</svg>'
    ).format(
        width=WIDTH,
        height=height,
        id=chart_id,
        fill=TEXT,
        title=title,
        background=WHITE,
        body=_join(body),
    )


def _text(x, y, words, *, anchor="start", bold=False, fill=TEXT):
    return Markup(
        '<text x="{:.1f}" y="{:.1f}" text-anchor="{}" font-weight="{}" fill="{}">{}</text>'
    ).format(x, y, anchor, "bold" if bold else "normal", fill, words)


def _line(x1, y1, x2, y2, *, stroke=SECONDARY, width=1.5):
    return Markup(
        '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="{}"/>'
    ).format(x1, y1, x2, y2, stroke, width)


def _diamond(x, y, size, *, hollow=False):
    """The organisation's own score: a purple diamond (hollow when not
    published) ringed in white, so it stands out on a blue bar too."""
    points = f"{x:.1f},{y - size:.1f} {x + size:.1f},{y:.1f} {x:.1f},{y + size:.1f} {x - size:.1f},{y:.1f}"
    return Markup(
        '<polygon points="{points}" fill="none" stroke="{white}" stroke-width="6"/>'
        '<polygon points="{points}" fill="{fill}" stroke="{purple}" stroke-width="2.5"/>'
    ).format(points=points, white=WHITE, purple=PURPLE, fill=WHITE if hollow else PURPLE)


def _circle(x, y, radius, label=None):
    tooltip = Markup("<title>{}</title>").format(label) if label else ""
    return Markup(
        '<circle cx="{:.1f}" cy="{:.1f}" r="{}" fill="{}" stroke="{}" stroke-width="1.5">{}</circle>'
    ).format(x, y, radius, BLUE, WHITE, tooltip)


def _score(value):
    return f"{value:.1f}"


class _Axis:
    """Maps a score to a position between ``low`` and ``high`` pixels."""

    def __init__(self, low, high):
        self.low, self.high = low, high

    def at(self, score):
        return self.low + (score - SCALE[0]) / (SCALE[1] - SCALE[0]) * (self.high - self.low)

    def draw_across(self, top, bottom):
        """Gridlines and values for a horizontal scale."""
        marks = [_line(self.low, bottom, self.high, bottom, width=1)]
        for value in range(SCALE[0], SCALE[1] + 1):
            x = self.at(value)
            marks.append(_line(x, top, x, bottom, stroke=GREY, width=1))
            marks.append(_text(x, bottom + 18, str(value), anchor="middle", fill=SECONDARY))
        return marks


def _label_width(labels):
    return min(380, max([len(label) for label in labels] + [8]) * CHAR + 16)


def _legend(y, *, with_score, private, with_dots=False):
    """What each mark means, drawn once above the rows."""
    items = [
        Markup(
            '<rect x="0" y="{}" width="28" height="14" fill="{}" stroke="{}" stroke-width="1"/>'
        ).format(y - 7, BLUE, TEXT),
        _text(34, y + 5, "Middle half of peers"),
        _line(196, y - 10, 196, y + 10, stroke=TEXT, width=3),
        _text(204, y + 5, "Median"),
        _line(272, y, 304, y),
        _line(272, y - 6, 272, y + 6),
        _line(304, y - 6, 304, y + 6),
        _text(310, y + 5, "Lowest to highest"),
    ]
    if with_score:
        items.append(_diamond(462, y, 7, hollow=private))
        items.append(_text(474, y + 5, "Your score, not published" if private else "Your score"))
    if with_dots:
        items.append(_circle(0 + 6, y + 24, 5))
        items.append(_text(16, y + 29, "Each score, where fewer than 5: too few to rank"))
    return items


def _spread_marks(axis, y, spread):
    """A whisker from lowest to highest, a bar over the middle half and a tick
    at the median; for a group too small to rank, only a dot per score."""
    if not spread.ranked:
        return [
            _circle(axis.at(value), y, 5, f"One peer's score: {_score(value)}")
            for value in spread.values
        ]
    low, q1, median, q3, high = (
        axis.at(value)
        for value in (
            spread.minimum,
            spread.lower_quartile,
            spread.median,
            spread.upper_quartile,
            spread.maximum,
        )
    )
    return [
        _line(low, y, high, y),
        _line(low, y - 7, low, y + 7),
        _line(high, y - 7, high, y + 7),
        Markup(
            '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="16" fill="{}" stroke="{}" stroke-width="1"/>'
        ).format(q1, y - 8, max(q3 - q1, 2), BLUE, TEXT),
        # Taller than the organisation's diamond, so a median under it still shows.
        _line(median, y - 17, median, y + 17, stroke=TEXT, width=3),
    ]


def spread_chart(chart_id, title, rows):
    """Rows of peer spreads on the 0–5 scale, each with the organisation's
    score as a labelled diamond when it has one."""
    with_score = any(row.score is not None for row in rows)
    private = any(row.private for row in rows)
    with_dots = any(row.spread is not None and not row.spread.ranked for row in rows)
    axis = _Axis(_label_width([row.label for row in rows]), WIDTH - 40)
    row_height, top = (56 if with_score else 36), (64 if with_dots else 40)
    bottom = top + row_height * len(rows)
    body = _legend(
        18, with_score=with_score, private=private, with_dots=with_dots
    ) + axis.draw_across(top, bottom)
    for index, row in enumerate(rows):
        y = top + row_height * index + row_height / 2 + (6 if with_score else 0)
        body.append(_text(0, y + 5, row.label, bold=True))
        if row.spread is None:
            body.append(_text(axis.low + 8, y + 5, "No peers", fill=SECONDARY))
        else:
            body += _spread_marks(axis, y, row.spread)
        if row.score is not None:
            x = axis.at(row.score)
            body.append(_diamond(x, y, 10, hollow=row.private))
            body.append(
                _text(x, y - 21, _score(row.score), anchor="middle", bold=True, fill=PURPLE)
            )
    return _svg(chart_id, title, bottom + 30, body)


def dot_chart(chart_id, title, dots):
    """Every peer's score as a dot, stacked where scores round to the same
    tenth; the organisation's own as a diamond labelled "You are here". In a
    group so large that a stack would pass ``TALLEST`` dots, each dot stands
    for several peers, and the chart says so."""
    axis = _Axis(20, WIDTH - 20)
    stacks = {}
    for dot in sorted(dots, key=lambda d: (d.score, d.is_you)):
        stacks.setdefault(round(dot.score, 1), []).append(dot)
    tallest = max((len(stack) for stack in stacks.values()), default=1)
    per_dot = -(-tallest // TALLEST)  # rounded up
    step, top = 11, 50
    bottom = top + step * -(-tallest // per_dot) + 8
    body = axis.draw_across(top - 8, bottom)
    if per_dot > 1:
        body.append(_text(WIDTH - 20, 24, f"Each dot is up to {per_dot} peers", anchor="end"))
    for value, stack in stacks.items():
        x = axis.at(value)
        for height in range(0, len(stack), per_dot):
            y = bottom - 8 - step * (height // per_dot)
            body += _dot(x, y, stack[height : height + per_dot])
    return _svg(chart_id, title, bottom + 30, body)


def _dot(x, y, peers):
    """One dot for one or more peers with the same score; a diamond with
    "You are here" when the organisation is among them."""
    score = _score(peers[0].score)
    if any(peer.is_you for peer in peers):
        return [
            _line(x, y - 9, x, 30, stroke=PURPLE, width=2),
            _diamond(x, y, 7),
            _text(x, 24, f"You are here: {score}", anchor="middle", bold=True, fill=PURPLE),
        ]
    label = f"{peers[0].label}: {score}" if len(peers) == 1 else f"{len(peers)} peers: {score}"
    return [_circle(x, y, 4.5, label)]


def _square(x, y, size):
    return Markup(
        '<rect x="{:.1f}" y="{:.1f}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1.5"/>'
    ).format(x - size, y - size, size * 2, size * 2, PURPLE, WHITE)


def _series_line(start, end, dashed):
    if not dashed:
        return _line(*start, *end, stroke=BLUE, width=3)
    return Markup(
        '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="3" '
        'stroke-dasharray="8 5"/>'
    ).format(*start, *end, PURPLE)


def _series_mark(x, y, dashed):
    return _square(x, y, 6) if dashed else _circle(x, y, 6)


def trend_chart(chart_id, title, points):
    """Scores across rounds, oldest first: a line through labelled points; a
    round without a score leaves a gap. Each source is its own series (the
    first a solid blue line with circles, the next a dashed purple line with
    squares, named in a legend), and a line never joins two sources."""
    series = list(dict.fromkeys(point.series for point in points))
    legend = len(series) > 1
    top, bottom, left = (58 if legend else 30), (238 if legend else 210), 44
    scale = _Axis(bottom, top)
    body = []
    if legend:
        for index, name in enumerate(series[:2]):
            x = left + 300 * index
            body += [
                _series_line((x, 18), (x + 32, 18), index == 1),
                _series_mark(x + 16, 18, index == 1),
                _text(x + 40, 23, name),
            ]
    for value in range(SCALE[0], SCALE[1] + 1):
        y = scale.at(value)
        body.append(_line(left, y, WIDTH - 20, y, stroke=GREY, width=1))
        body.append(_text(left - 10, y + 5, str(value), anchor="end", fill=SECONDARY))
    gap = (WIDTH - left - 160) / max(len(points) - 1, 1)
    placed = []
    for index, point in enumerate(points):
        x = left + 70 + gap * index if len(points) > 1 else (left + WIDTH) / 2
        body.append(_text(x, bottom + 24, point.label, anchor="middle"))
        if point.score is None:
            body.append(_text(x, bottom - 8, "No score", anchor="middle", fill=SECONDARY))
        placed.append(None if point.score is None else (x, scale.at(point.score)))
    dashed = {name: index == 1 for index, name in enumerate(series)}
    for name in series:
        mine = [place for point, place in zip(points, placed, strict=True) if point.series == name]
        for start, end in zip(mine, mine[1:], strict=False):
            if start and end:
                body.append(_series_line(start, end, dashed[name]))
    for point, place in zip(points, placed, strict=True):
        if place:
            body.append(_series_mark(*place, dashed[point.series]))
            body.append(
                _text(place[0], place[1] - 12, _score(point.score), anchor="middle", bold=True)
            )
    return _svg(chart_id, title, bottom + 40, body)
