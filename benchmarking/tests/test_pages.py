import csv
import datetime
import io
import re

import pytest

from assessments.workflow import AssessmentStatus
from benchmarking import calculation
from benchmarking.tests.conftest import add_assessment, make_round, member_of

pytestmark = pytest.mark.django_db


def text_of(response):
    """The main content's words, without markup."""
    main = re.search(r"<main.*?</main>", response.text, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def unpublish(small_round, ods_code):
    assessment = small_round.assessment(ods_code)
    assessment.status = AssessmentStatus.APPROVED
    assessment.save()
    calculation.recompute_round(small_round.round)


def test_benchmark_pages_need_sign_in(client, small_round):
    for path in ("/benchmarks/organisations/RBB/", "/benchmarks/national/", "/benchmarks/ics/QAA/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_organisation_page_shows_seven_measures_against_national_peers(signed_in, small_round):
    response = signed_in.get("/benchmarks/organisations/RBB/")
    words = text_of(response)
    assert response.status_code == 200
    assert "The seven measures against every organisation answering for acute care" in words
    assert "Every organisation answering for the same care setting" in words  # the rule
    for measure in small_round.measures:
        assert measure.name in words
    assert "40% of peers" in words and "Second quarter" in words
    assert 'role="img"' in response.text and 'id="measures-chart-caption"' in response.text
    assert "?round=2025+%28test%29&care_setting=acute&group=national&download=measures" in (
        response.text.replace("&amp;", "&")
    )
    assert "Trend across rounds" in words
    assert response.text.count("<h1") == 1


def test_organisation_page_states_each_groups_rule(signed_in, small_round):
    words = text_of(signed_in.get("/benchmarks/organisations/RBB/?group=ics"))
    assert "against the members of NHS Test Integrated Care Board" in words
    assert "The other members of the same integrated care system" in words
    words = text_of(signed_in.get("/benchmarks/organisations/RBB/?group=similar"))
    assert (
        "Northstar holds no published size or list of similar organisations for acute trusts, "
        "so Trust RBB is compared with its sector instead" in words
    )


def test_organisation_page_refuses_an_unknown_round_group_or_organisation(signed_in, small_round):
    assert signed_in.get("/benchmarks/organisations/RBB/?round=1999").status_code == 404
    assert signed_in.get("/benchmarks/organisations/RBB/?group=friends").status_code == 404
    assert signed_in.get("/benchmarks/organisations/ZZZ/").status_code == 404
    assert signed_in.get("/benchmarks/organisations/RBB/?download=nothing").status_code == 404


def test_a_round_with_nothing_published_says_so(signed_in, client, small_round, version):
    later = make_round(version, "2026/27", datetime.date(2026, 4, 1))
    words = text_of(signed_in.get("/benchmarks/organisations/RBB/?round=2026/27"))
    assert "No published assessments in this round yet" in words
    add_assessment(later, small_round.trusts["RBB"], 3.0, status=AssessmentStatus.DRAFT)
    client.force_login(member_of(small_round.trusts["RBB"]))
    words = text_of(client.get("/benchmarks/organisations/RBB/?round=2026/27"))
    assert "Not published: only your organisation can see this" in words
    assert "No published assessments in this round yet" in words
    words = text_of(client.get("/benchmarks/organisations/RBB/well_led/?round=2026/27"))
    assert "No published assessments in this round yet" in words
    words = text_of(signed_in.get("/benchmarks/national/?round=2026/27"))
    assert "No published assessments in this round yet" in words


def test_own_unpublished_score_is_shown_privately_and_marked(client, small_round):
    unpublish(small_round, "RBB")
    client.force_login(member_of(small_round.trusts["RBB"]))
    words = text_of(client.get("/benchmarks/organisations/RBB/"))
    assert "Not published: only your organisation can see this" in words
    assert "40% of peers" in words  # placed against the five published peers
    assert "Your score, not published" in client.get("/benchmarks/organisations/RBB/").text


def test_others_do_not_see_an_unpublished_score(client, small_round):
    unpublish(small_round, "RBB")
    client.force_login(member_of(small_round.trusts["RCC"]))
    words = text_of(client.get("/benchmarks/organisations/RBB/"))
    assert "No published assessment for Trust RBB in 2025 (test)" in words
    assert "Not published" not in words


def test_measures_download_is_csv_with_every_figure(signed_in, small_round):
    response = signed_in.get("/benchmarks/organisations/RBB/?group=sector&download=measures")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="rbb-2025-test-acute-sector.csv"' in response["Content-Disposition"]
    head, *rows = rows_of(response)
    assert head[:8] == [
        "measure_key",
        "measure",
        "score",
        "published",
        "ranked",
        "percentile",
        "quartile",
        "peers",
    ]
    assert len(rows) == 7
    well_led = dict(zip(head, rows[0], strict=True))
    assert well_led["score"] == "2.1" and well_led["peers"] == "6" and well_led["median"] == "2.6"
    assert (well_led["ranked"], well_led["percentile"], well_led["quartile"]) == (
        "yes",
        "40.0",
        "2",
    )


def test_a_group_of_fewer_than_five_is_too_few_to_rank_on_the_page_and_in_the_csv(
    signed_in, small_round
):
    words = text_of(signed_in.get("/benchmarks/organisations/RBB/?group=ics"))
    assert "Too few to rank (4 organisations)" in words
    assert "1.1, 2.1, 2.6, 3.1" in words  # the scores themselves
    assert "% of peers" not in words and "quarter" not in words.replace(
        "no percentile, quarter", ""
    )
    response = signed_in.get("/benchmarks/organisations/RBB/?group=ics&download=measures")
    head, *rows = rows_of(response)
    well_led = dict(zip(head, rows[0], strict=True))
    assert (well_led["ranked"], well_led["percentile"], well_led["quartile"]) == ("no", "", "")
    assert (well_led["peers"], well_led["median"], well_led["lower_quartile"]) == ("4", "", "")
    assert well_led["peer_scores"] == "1.1;2.1;2.6;3.1"
    words = text_of(signed_in.get("/benchmarks/organisations/RBB/well_led/?group=ics"))
    assert "4 published scores in this group: too few to rank" in words
    assert "higher than" not in words


def test_trend_download(signed_in, small_round):
    response = signed_in.get("/benchmarks/organisations/RBB/?download=trend")
    assert rows_of(response) == [
        [
            "round",
            "source",
            "period_start",
            "period_end",
            "score",
            "compared_with_round",
            "compared_with_source",
            "change",
            "over_comparable_domains",
        ],
        [
            "2025 (test)",
            "published by NHS England",
            "2025-04-01",
            "2025-06-30",
            "2.5",
            "",
            "",
            "",
            "yes",
        ],
    ]


def test_a_trend_across_nhs_england_and_self_assessed_rounds_marks_the_change_of_source(
    signed_in, mixed_sources
):
    response = signed_in.get("/benchmarks/organisations/RBB/?round=2026/27")
    words = text_of(response)
    assert "This trend mixes two sources" in words
    assert "Points from different sources are never joined" in words
    svg = response.text[
        response.text.index("<svg", response.text.index('id="trend-chart-caption"')) :
    ]
    svg = svg[: svg.index("</svg>")]
    assert "Published by NHS England" in svg and "Self-assessed in Northstar" in svg  # legend
    assert svg.count('stroke-dasharray="8 5"') == 2  # the legend's and 2025/26 → 2026/27
    assert svg.count('stroke="#005eb8" stroke-width="3"') == 1  # the legend's only: no join
    # The same-period self-assessment is not compared with NHS England's 2025 figures.
    assert "2025/26 Source Self-assessed in Northstar" in words
    assert "No earlier comparable round" in words
    assert "+1.0 since 2025/26, self-assessed in Northstar" in words
    # The measure table names the round and source its change is from.
    assert "+1.0 since 2025/26, self-assessed in Northstar (from 1.6" in words
    head, *rows = rows_of(signed_in.get("/benchmarks/organisations/RBB/?download=trend"))
    by_round = {row[0]: dict(zip(head, row, strict=True)) for row in rows}
    assert by_round["2025/26"]["compared_with_round"] == ""
    assert by_round["2026/27"]["compared_with_round"] == "2025/26"
    assert by_round["2026/27"]["compared_with_source"] == "self-assessed in Northstar"
    assert by_round["2026/27"]["change"] == "1.0"
    head, *rows = rows_of(signed_in.get("/benchmarks/organisations/RBB/well_led/?download=trend"))
    assert [row[0] for row in rows] == ["2025 (test)", "2025/26", "2026/27"]
    assert rows[1][head.index("change")] == "" and rows[2][head.index("change")] == "1.0"


def test_measure_page_shows_every_peer_and_you_are_here(signed_in, small_round):
    response = signed_in.get("/benchmarks/organisations/RCC/improve_care/?group=sector")
    words = text_of(response)
    assert "Improve care across the peers" in words
    assert "You are here: 3.6" in response.text
    assert "Trust RCC (you)" in words and "Trust RAA" in words
    assert "higher than 60% of the other peers" in words
    head, *rows = rows_of(
        signed_in.get(
            "/benchmarks/organisations/RCC/improve_care/?group=sector&download=distribution"
        )
    )
    assert head == ["rank", "ods_code", "organisation", "score", "is_you"]
    assert rows[0][:2] == ["1", "RFF"] and ["3", "RCC", "Trust RCC", "3.6", "yes"] in rows
    assert signed_in.get("/benchmarks/organisations/RCC/no_such_measure/").status_code == 404


def test_ics_page_shows_members_side_by_side_with_their_spread(signed_in, small_round):
    response = signed_in.get("/benchmarks/ics/QAA/")
    words = text_of(response)
    assert "4 published assessments from 4 members on 1 April 2025" in words
    assert "1.1 Q1 , lowest quarter" in words  # RAA's well led: colour, Q1 and words
    assert "Gap between highest and lowest" in words
    assert 'id="members-chart-caption"' in response.text
    head, *rows = rows_of(signed_in.get("/benchmarks/ics/QAA/?download=members"))
    assert head[:3] == ["ods_code", "organisation", "care_setting"] and len(rows) == 4
    assert signed_in.get("/benchmarks/ics/RBB/").status_code == 404  # not an ICS


def test_ics_page_before_the_ics_had_members(signed_in, small_round, version):
    earlier = make_round(version, "2021 (test)", datetime.date(2021, 4, 1))
    add_assessment(earlier, small_round.trusts["RDD"], 2.0)
    calculation.recompute_round(earlier)
    words = text_of(signed_in.get("/benchmarks/ics/QAA/?round=2021+(test)"))
    assert "No members when 2021 (test) opened" in words


def test_national_page_shows_every_measure_by_sector(signed_in, small_round):
    response = signed_in.get("/benchmarks/national/")
    words = text_of(response)
    assert "Acute trusts, acute" in words and "Mental health trusts, mental health" in words
    assert response.text.count('aria-describedby="sector-chart-') == 7
    one = signed_in.get("/benchmarks/national/?download=well_led")
    assert 'filename="2025-test-well_led-by-sector.csv"' in one["Content-Disposition"]
    assert len(rows_of(one)) == 3
    head, *rows = rows_of(signed_in.get("/benchmarks/national/?download=sectors"))
    assert len(rows) == 14 and head[:4] == [
        "measure_key",
        "measure",
        "organisation_type",
        "care_setting",
    ]


def test_names_are_escaped(signed_in, small_round):
    trust = small_round.trusts["RAA"]
    trust.name = "<script>alert(1)</script> Trust"
    trust.save()
    for path in (
        "/benchmarks/organisations/RAA/",
        "/benchmarks/organisations/RBB/well_led/",
        "/benchmarks/ics/QAA/",
    ):
        response = signed_in.get(path)
        assert "<script>alert(1)" not in response.text
        assert "&lt;script&gt;alert(1)" in response.text
