"""What each person's home page shows, by the roles they hold."""

from dataclasses import dataclass, field

from django.urls import reverse

from accounts.models import RoleName
from accounts.policy import roles_of

ROLE_PURPOSE = {
    RoleName.CONTRIBUTOR: "You fill in your organisation's self-assessment and attach evidence.",
    RoleName.APPROVER: "You review and sign off your organisation's self-assessment.",
    RoleName.ICS_LEAD: (
        "You see every member organisation side by side, validate their claims "
        "and agree levelling-up plans."
    ),
    RoleName.NATIONAL_ANALYST: "You see national and peer benchmarks, trends and exports.",
    RoleName.PATIENT_LEADER: "You add the patient and carer perspective to learning and plans.",
    RoleName.PLATFORM_ADMIN: "You manage frameworks, rounds, organisations and people.",
}


@dataclass
class HomeSection:
    heading: str
    purpose: str
    links: list = field(default_factory=list)


def _organisation_links(org):
    if org.is_ics:
        return [
            (
                f"{org.name}: members and structure",
                reverse("organisations:ics", args=[org.ods_code]),
            ),
            ("Members side by side: benchmarks", reverse("benchmarking:ics", args=[org.ods_code])),
        ]
    return [
        (org.name, reverse("organisations:detail", args=[org.ods_code])),
        (
            f"Where {org.name} stands: benchmarks",
            reverse("benchmarking:organisation", args=[org.ods_code]),
        ),
    ]


ROLE_LINKS = {
    RoleName.CONTRIBUTOR: [
        ("Your organisation's assessments", "assessments:index"),
        ("Write a blueprint or redprint", "learning:new"),
        ("Journeys like yours", "learning:journeys"),
    ],
    RoleName.APPROVER: [
        ("Assessments to review and approve", "assessments:index"),
        ("Journeys like yours", "learning:journeys"),
    ],
    RoleName.ICS_LEAD: [
        ("Members' assessments to validate", "assessments:index"),
        ("Blueprints and redprints", "learning:index"),
    ],
    RoleName.NATIONAL_ANALYST: [
        ("National benchmarks by sector", "benchmarking:national"),
        ("Assessments", "assessments:index"),
        ("Every organisation", "organisations:index"),
    ],
    RoleName.PATIENT_LEADER: [
        ("Blueprints and redprints: add the patient and carer perspective", "learning:index"),
    ],
    RoleName.PLATFORM_ADMIN: [
        ("Open a round", "assessments:open_round"),
        ("Rounds and assessments", "assessments:index"),
        ("Learning library moderation", "learning:moderation"),
        ("Framework versions", "frameworks:versions"),
        ("Administration", "admin:index"),
    ],
}


def _links_for(role):
    links = _organisation_links(role.organisation) if role.organisation_id else []
    links += [(text, reverse(name)) for text, name in ROLE_LINKS[role.name]]
    links.append(("What Good Looks Like: the framework", reverse("frameworks:index")))
    return links


def home_for(user):
    """One section per role the user holds, each with where to go next."""
    sections = []
    for role in roles_of(user):
        where = f" at {role.organisation.name}" if role.organisation_id else ""
        sections.append(
            HomeSection(
                heading=f"{role.get_name_display()}{where}",
                purpose=ROLE_PURPOSE[role.name],
                links=_links_for(role),
            )
        )
    return sections
