import datetime
import re

import pytest

from organisations.tests.factories import IcbFactory, OrganisationFactory, TrustFactory

pytestmark = pytest.mark.django_db


def html_of(response):
    return " ".join(response.text.split())


def text_of(response):
    """The main content's words, without markup."""
    main = re.search(r"<main.*?</main>", response.text, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def names_listed(response):
    """The first column of the organisations table."""
    return re.findall(
        r'aria-hidden="true">Name </span><a class="nhsuk-link" href="[^"]+">([^<]+)</a>',
        html_of(response),
    )


def test_organisations_page_lists_open_organisations_with_a_count(client, nhs_structure):
    response = client.get("/organisations/")

    assert response.status_code == 200
    words = text_of(response)
    assert "238 organisations" in words  # 36 ICBs and 202 open trusts
    assert "Organisations, page 1 of 5" in words
    assert '<th class="nhsuk-table__header" scope="col"' in html_of(response)
    assert response.text.count("<h1") == 1


def test_organisations_page_search_by_name_or_code(client, nhs_structure):
    by_name = client.get("/organisations/", {"q": "essex"})
    by_code = client.get("/organisations/", {"q": "rgt"})

    assert "4 organisations" in text_of(by_name)
    assert "NHS Essex Integrated Care Board" in names_listed(by_name)
    assert names_listed(by_code)[0] == "Cambridge University Hospitals NHS Foundation Trust"
    assert "NHS Central East Integrated Care Board" in text_of(by_code)


def test_organisations_page_filters_by_type_ics_and_region(client, nhs_structure):
    response = client.get(
        "/organisations/", {"type": "acute", "ics": "D7T5G", "region": "East of England"}
    )

    assert names_listed(response) == [
        "East Suffolk and North Essex NHS Foundation Trust",
        "Mid and South Essex NHS Foundation Trust",
        "The Princess Alexandra Hospital NHS Trust",
    ]
    assert '<option value="D7T5G" selected' in response.text


def test_organisations_page_includes_closed_organisations_when_asked(client, nhs_structure):
    open_only = client.get("/organisations/", {"q": "tavistock"})
    with_closed = client.get("/organisations/", {"q": "tavistock", "include_closed": "on"})

    assert "0 organisations" in text_of(open_only)
    assert names_listed(with_closed) == ["Tavistock and Portman NHS Foundation Trust (closed)"]
    assert "NHS North Central London Integrated Care Board" in text_of(with_closed)


def test_organisations_page_paginates_and_keeps_the_search(client):
    icb = IcbFactory(name="NHS Paging ICB")
    for number in range(60):
        TrustFactory(name=f"Paging Trust {number:02d}", membership__ics=icb)

    first = client.get("/organisations/", {"q": "paging trust"})
    second = client.get("/organisations/", {"q": "paging trust", "page": "2"})

    assert len(names_listed(first)) == 50
    assert names_listed(second)[0] == "Paging Trust 50"
    assert 'href="?q=paging+trust&amp;page=2"' in first.text
    assert 'aria-current="page"' in second.text
    assert "Organisations, page 2 of 2" in text_of(second)


def test_organisations_page_with_no_match_says_so(client):
    OrganisationFactory()

    response = client.get("/organisations/", {"q": "zzz"})

    assert "0 organisations" in text_of(response)
    assert "No organisations match your search." in text_of(response)
    assert "<table" not in response.text


def test_organisations_page_with_an_unknown_filter_explains_and_ignores_it(client):
    OrganisationFactory()

    response = client.get("/organisations/", {"type": "castle"})

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert '<a href="#id_type" > Select a type from the list </a>' in html_of(response)
    assert "1 organisation" in text_of(response)


def test_organisation_page_shows_facts_and_dated_membership(client, nhs_structure):
    response = client.get("/organisations/rgt/")

    words = text_of(response)
    assert "<h1>Cambridge University Hospitals NHS Foundation Trust</h1>" in response.text
    assert "ODS code RGT" in words
    assert "Type Acute trust" in words
    assert "Care settings reported Acute" in words
    assert "ICS NHS Central East Integrated Care Board" in words
    assert "Opened 1 April 1993" in words
    assert (
        "NHS Cambridgeshire and Peterborough Integrated Care Board 1 July 2022 31 March 2026"
        in words
    )
    assert "NHS Central East Integrated Care Board 1 April 2026 Current" in words


def test_organisation_page_for_a_closed_trust_says_when_it_closed(client, nhs_structure):
    words = text_of(client.get("/organisations/RNK/"))

    assert "Tavistock and Portman NHS Foundation Trust closed on 31 March 2026." in words
    assert "Last ICS NHS North Central London Integrated Care Board" in words


def test_organisation_page_for_an_icb_is_its_ics_page(client):
    icb = IcbFactory(ods_code="QAA")

    response = client.get(f"/organisations/{icb.ods_code}/")

    assert response.status_code == 302
    assert response["Location"] == "/organisations/ics/QAA/"


@pytest.mark.parametrize("url", ["/organisations/XYZ/", "/organisations/ics/XYZ/"])
def test_organisation_pages_for_an_unknown_code_are_404(client, url):
    assert client.get(url).status_code == 404


def test_ics_page_for_a_trust_is_404(client):
    trust = OrganisationFactory()

    assert client.get(f"/organisations/ics/{trust.ods_code}/").status_code == 404


def test_ics_page_for_essex_names_the_icss_it_was_formed_from(client, nhs_structure):
    response = client.get("/organisations/ics/D7T5G/")

    words = text_of(response)
    assert "NHS Essex Integrated Care Board was formed on 1 April 2026 from:" in words
    assert "All of NHS Mid and South Essex Integrated Care Board" in words
    assert "Part of NHS Hertfordshire and West Essex Integrated Care Board" in words
    assert "Part of NHS Suffolk and North East Essex Integrated Care Board" in words
    assert 'href="/organisations/ics/QH8/"' in response.text
    assert "Acute trusts (3)" in words
    assert "Mid and South Essex NHS Foundation Trust RAJ 1 April 2026" in words


def test_ics_page_for_a_closed_ics_says_what_it_became(client, nhs_structure):
    words = text_of(client.get("/organisations/ics/QNQ/"))

    assert "NHS Frimley Integrated Care Board closed on 31 March 2026." in words
    assert "Part went to NHS Thames Valley Integrated Care Board" in words
    assert "Part went to NHS Hampshire and Isle of Wight Integrated Care Board" in words
    assert "Members on 31 March 2026" in words
    assert "Frimley Health NHS Foundation Trust RDU 1 July 2022" in words


def test_ics_page_shows_members_on_a_chosen_date(client, nhs_structure):
    before = text_of(client.get("/organisations/ics/D7T5G/", {"on": "2026-03-31"}))
    after = text_of(client.get("/organisations/ics/QH8/", {"on": "2025-04-01"}))

    assert "No organisations were members of NHS Essex Integrated Care Board on 31 March 2026." in (
        before
    )
    assert "Members on 1 April 2025" in after
    assert "Mid and South Essex NHS Foundation Trust RAJ 1 July 2022" in after


def test_ics_page_with_a_bad_date_explains_and_shows_today(client):
    icb = IcbFactory()

    response = client.get(f"/organisations/ics/{icb.ods_code}/", {"on": "31/03/2026"})

    assert response.status_code == 200
    assert "Enter a date like 2025-04-01" in response.text
    assert f"Members on {datetime.date.today().day}" in text_of(response)


def test_organisation_pages_escape_names(client):
    icb = IcbFactory(name="<script>alert(1)</script> ICB")
    TrustFactory(name="<b>Bold</b> Trust", membership__ics=icb)

    pages = [client.get("/organisations/"), client.get(f"/organisations/ics/{icb.ods_code}/")]

    for response in pages:
        assert "<script>alert(1)" not in response.text
        assert "<b>Bold</b>" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; ICB" in response.text
