"""Organisation facts shaped for the NHS.UK components on the pages."""

from itertools import groupby

from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from core.presenters import date
from organisations.models import CareSetting, OrganisationType, SuccessionType

TYPE_GROUPS = {
    OrganisationType.ICB: "Integrated care boards",
    OrganisationType.ACUTE: "Acute trusts",
    OrganisationType.SPECIALIST: "Specialist trusts",
    OrganisationType.MENTAL_HEALTH: "Mental health trusts",
    OrganisationType.COMBINED: "Mental health and community trusts",
    OrganisationType.COMMUNITY: "Community trusts",
    OrganisationType.AMBULANCE: "Ambulance trusts",
    OrganisationType.PCN: "Primary care networks",
    OrganisationType.GP_PRACTICE: "GP practices",
    OrganisationType.SOCIAL_CARE: "Social care providers",
    OrganisationType.UNKNOWN: "Not yet classified",
}


def page_for(organisation):
    """An ICS has its own page, with its members."""
    if organisation.is_ics:
        return ics_page(organisation.ods_code)
    return reverse("organisations:detail", args=[organisation.ods_code])


def ics_page(ods_code):
    return reverse("organisations:ics", args=[ods_code])


def breadcrumbs(*pages, within_list=True):
    """Home, the organisations list (for pages within it), then ``(text, href)`` pages."""
    if within_list:
        pages = ("Organisations", reverse("organisations:index")), *pages
    return [{"text": "Home", "href": reverse("home")}] + [
        {"text": text, "href": href} for text, href in pages
    ]


# The organisations list


def organisation_rows(organisations):
    """Table rows: name (linked), ODS code, type, ICS (linked), region."""
    return [
        [
            {
                "text": f"{o.name} (closed)" if _closed(o) else o.name,
                "href": page_for(o),
            },
            o.ods_code,
            o.get_org_type_display(),
            {"text": o.ics_name, "href": ics_page(o.ics_code)} if o.ics_code else "None recorded",
            o.region,
        ]
        for o in organisations
    ]


def pagination(page, query):
    """NHS.UK numbered pagination for a page of results, keeping the search."""
    paginator = page.paginator
    if paginator.num_pages < 2:
        return None

    def href(number):
        params = query.copy()
        params["page"] = number
        return f"?{params.urlencode()}"

    links = {
        "items": [
            {"ellipsis": True}
            if number == paginator.ELLIPSIS
            else {"number": number, "href": href(number), "current": number == page.number}
            for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ]
    }
    if page.has_previous():
        links["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        links["next"] = {"href": href(page.next_page_number())}
    return links


# One organisation


def care_settings(values):
    """["acute", "mental_health"] → "Acute, Mental health" """
    labels = dict(CareSetting.choices)
    return ", ".join(labels.get(value, value) for value in values)


def organisation_summary(organisation, *, ics):
    """Summary list rows for a trust or other organisation; ``ics`` is its
    current ICS, or its last one if it has closed."""
    rows = [
        _row("ODS code", organisation.ods_code),
        _row("Type", organisation.get_org_type_display()),
        _row("Region", organisation.region or "Not recorded"),
        _row(
            "Care settings reported", care_settings(organisation.care_settings) or "None reported"
        ),
        _row("Last ICS" if _closed(organisation) else "ICS", ics and _link(ics)),
        _row("Opened", date(organisation.opened_on) or "Not recorded"),
    ]
    if organisation.closed_on:
        rows.append(_row("Closed", date(organisation.closed_on)))
    return rows


def ics_summary(ics):
    rows = [
        _row("ODS code", ics.ods_code),
        _row("Region", ics.region or "Not recorded"),
        _row("Formed", date(ics.opened_on) or "Not recorded"),
    ]
    if ics.closed_on:
        rows.append(_row("Closed", date(ics.closed_on)))
    return rows


def _row(key, value):
    value = value or "None recorded"
    shown = {"html": value} if isinstance(value, Markup) else {"text": value}
    return {"key": {"text": key}, "value": shown}


def _link(organisation):
    return Markup('<a href="{}">{}</a>').format(page_for(organisation), organisation.name)


def _closed(organisation):
    return organisation.closed_on is not None and organisation.closed_on < timezone.localdate()


def membership_rows(memberships):
    return [
        [
            {"text": m.ics.name, "href": ics_page(m.ics.ods_code)},
            date(m.valid_from),
            date(m.valid_to) if m.valid_to else "Current",
        ]
        for m in memberships
    ]


# Successions, in words

_FROM = {
    SuccessionType.MERGER: "All of",
    SuccessionType.SPLIT: "Part of",
    SuccessionType.ACQUISITION: "Part of",
}
_INTO = {
    SuccessionType.MERGER: "Merged into",
    SuccessionType.SPLIT: "Part went to",
    SuccessionType.ACQUISITION: "Part went to",
}


def formed_from(organisation, successions):
    """By date: a sentence, then what came from each predecessor."""
    groups = []
    for day, group in groupby(successions, key=lambda s: s.effective_on):
        formed = organisation.opened_on == day
        groups.append(
            {
                "sentence": f"{organisation.name} was formed on {date(day)} from:"
                if formed
                else f"On {date(day)}, {organisation.name} took on:",
                "items": [
                    {
                        "words": _FROM[s.succession_type],
                        "text": s.predecessor.name,
                        "href": page_for(s.predecessor),
                    }
                    for s in group
                ],
            }
        )
    return groups


def became(organisation, successions):
    """By date: a sentence, then where each part of it went."""
    return [
        {
            "sentence": f"On {date(day)}, {organisation.name}:",
            "items": [
                {
                    "words": _INTO[s.succession_type],
                    "text": s.successor.name,
                    "href": page_for(s.successor),
                }
                for s in group
            ],
        }
        for day, group in groupby(successions, key=lambda s: s.effective_on)
    ]


def member_groups(members):
    """Members grouped by type: a caption and table rows for each group."""
    groups = []
    for org_type, group in groupby(members, key=lambda o: o.org_type):
        group = list(group)
        groups.append(
            {
                "caption": f"{TYPE_GROUPS[org_type]} ({len(group)})",
                "rows": [
                    [{"text": o.name, "href": page_for(o)}, o.ods_code, date(o.member_since)]
                    for o in group
                ],
            }
        )
    return groups
