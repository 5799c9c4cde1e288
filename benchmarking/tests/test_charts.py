"""The charts are well-formed SVG images with their words in them, escaped."""

import xml.etree.ElementTree as ET

from benchmarking import charts
from benchmarking.queries import Spread

SVG = "{http://www.w3.org/2000/svg}"
SPREAD = Spread(
    peers=12, minimum=1.2, lower_quartile=2.0, median=2.5, upper_quartile=3.1, maximum=4.6
)
EVIL = "<script>alert('x')</script> & Co"


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 (markup we generated, not untrusted input)


def words(root):
    return [text.text for text in root.iter(f"{SVG}text")]


def test_spread_chart_is_a_described_image_with_each_label_and_score():
    svg = charts.spread_chart(
        "measures-chart",
        "Trust: the seven measures",
        [charts.SpreadRow("Well led", SPREAD, 2.8), charts.SpreadRow("Safe practice", None)],
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "measures-chart-title"
    assert root.get("aria-describedby") == "measures-chart-caption"
    assert root.find(f"{SVG}title").text == "Trust: the seven measures"
    assert {"Well led", "Safe practice", "2.8", "No peers", "Your score", "Median"} <= set(
        words(root)
    )
    assert len(root.findall(f"{SVG}rect")) == 3  # background, legend and one interquartile bar


def test_spread_chart_marks_an_unpublished_score_differently():
    svg = charts.spread_chart("c", "t", [charts.SpreadRow("Well led", SPREAD, 2.8, private=True)])
    root = parse(svg)
    assert "Your score, not published" in words(root)
    diamonds = [p for p in root.iter(f"{SVG}polygon") if p.get("stroke") == charts.PURPLE]
    assert diamonds and all(p.get("fill") == charts.WHITE for p in diamonds)


def test_spread_chart_places_marks_on_the_scale():
    root = parse(charts.spread_chart("c", "t", [charts.SpreadRow("Well led", SPREAD)]))
    bar = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == charts.BLUE][-1]
    axis = charts._Axis(charts._label_width(["Well led"]), charts.WIDTH - 40)
    assert float(bar.get("x")) == round(axis.at(2.0), 1)
    assert float(bar.get("width")) == round(axis.at(3.1) - axis.at(2.0), 1)


def test_dot_chart_says_you_are_here_and_names_each_peer():
    dots = [charts.Dot("Trust A", 2.1), charts.Dot("Trust B", 2.1), charts.Dot("Us", 3.0, True)]
    root = parse(charts.dot_chart("d", "Improve care", dots))
    assert "You are here: 3.0" in words(root)
    tooltips = [t.text for t in root.iter(f"{SVG}title")]
    assert "Trust A: 2.1" in tooltips and "Trust B: 2.1" in tooltips
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 2 and circles[0].get("cx") == circles[1].get("cx")  # stacked


def test_dot_chart_of_a_large_group_lets_each_dot_stand_for_several_peers():
    dots = [charts.Dot(f"Trust {n}", 2.0) for n in range(200)] + [charts.Dot("Us", 2.0, True)]
    root = parse(charts.dot_chart("d", "Well led", dots))
    assert "Each dot is up to 6 peers" in words(root)
    # 201 in sixes: 33 dots of peers, then a diamond for the last three, us among them
    assert len(list(root.iter(f"{SVG}circle"))) == 33
    assert "You are here: 2.0" in words(root)


def test_trend_chart_labels_each_round_and_value_and_leaves_gaps():
    points = [
        charts.Point("2024 (NHS England)", 2.429),
        charts.Point("2025 (NHS England)", 2.5),
        charts.Point("2026/27", None),
    ]
    root = parse(charts.trend_chart("t", "Trend", points))
    assert {"2024 (NHS England)", "2.4", "2.5", "2026/27", "No score"} <= set(words(root))
    assert len(list(root.iter(f"{SVG}circle"))) == 2
    lines = [line for line in root.iter(f"{SVG}line") if line.get("stroke") == charts.BLUE]
    assert len(lines) == 1  # no line into the round without a score


def test_every_chart_escapes_names():
    svgs = [
        charts.spread_chart(EVIL, EVIL, [charts.SpreadRow(EVIL, SPREAD, 2.0)]),
        charts.dot_chart("d", EVIL, [charts.Dot(EVIL, 2.0), charts.Dot(EVIL, 3.0, True)]),
        charts.trend_chart("t", EVIL, [charts.Point(EVIL, 2.0)]),
    ]
    for svg in svgs:
        assert "<script>" not in svg
        root = parse(svg)  # still well-formed
        texts = words(root) + [t.text for t in root.iter(f"{SVG}title")]
        assert any(EVIL in (text or "") for text in texts)
