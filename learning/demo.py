"""Demo content for the learning library: a dozen clearly synthetic entries
across topics, some anonymous redprints, some with journey updates and
perspectives, written by the demo accounts. Running it again adds nothing."""

import io

from pypdf import PdfWriter

from accounts.models import User
from accounts.policy import organisation_ids_of
from learning import services
from learning.models import Entry, PerspectiveRole
from organisations.models import Organisation

SYNTHETIC = "Synthetic demo content: not a real organisation's experience."

# (reference, author email, content, journey updates, perspectives)
ENTRIES = [
    (
        "demo-epr-go-live",
        "contributor@northstar.example",
        {
            "kind": "blueprint",
            "title": "Demo: a phased EPR go-live, ward by ward",
            "summary": f"{SYNTHETIC} How a phased go-live kept wards safe.",
            "context": "An acute trust replacing paper notes and three legacy systems.",
            "what_was_done": "Went live ward by ward over twelve weeks, with floor walkers.",
            "what_went_well": "Clinical champions on every ward; daily huddles.",
            "what_went_wrong": "Training rooms were booked before the build was stable.",
            "do_differently": "Freeze the build four weeks before training starts.",
            "costs_and_timescales": "Eighteen months; about 4% over budget.",
            "outcome": "succeeded",
            "topics": ["epr"],
            "measures": ["safe_practice", "smart_foundations"],
            "suppliers": ["Demo EPR Supplier"],
            "org_types": ["acute"],
        },
        [
            ("Month 1: first two wards live", "Both wards live with no downtime."),
            ("Month 3: go-live moved for theatres", "Theatres moved a month to fix order sets."),
        ],
        [(PerspectiveRole.PATIENT_CARER, "Patients noticed fewer repeated questions.")],
    ),
    (
        "demo-epma-redprint",
        "contributor@northstar.example",
        {
            "kind": "redprint",
            "title": "Demo: e-prescribing rollout paused after alert fatigue",
            "summary": f"{SYNTHETIC} Too many alerts made prescribers ignore them.",
            "what_went_wrong": "Every interaction alert was switched on at go-live.",
            "do_differently": "Start with the alerts pharmacists agree matter; add more later.",
            "outcome": "stopped",
            "topics": ["e-prescribing"],
            "measures": ["safe_practice"],
            "suppliers": ["Demo EPMA Vendor"],
            "org_types": ["acute", "mental_health"],
            "anonymous": True,
        },
        [("Month 2: alerts cut by two thirds", "Prescribers now read the alerts that remain.")],
        [
            (PerspectiveRole.CLINICIAN, "As a prescriber, the fewer alerts, the safer I felt."),
            (PerspectiveRole.PATIENT_CARER, "Carers were not told why doses changed."),
        ],
    ),
    (
        "demo-portal-uptake",
        "contributor@northstar.example",
        {
            "kind": "redprint",
            "title": "Demo: patient portal launched without a plan for uptake",
            "summary": f"{SYNTHETIC} Few patients signed up in the first year.",
            "what_went_wrong": "Launch letters went out before clinics could answer questions.",
            "do_differently": "Ask patient leaders to test the letters first.",
            "outcome": "partly",
            "topics": ["patient-portal"],
            "measures": ["empower_citizens"],
            "org_types": ["acute", "community"],
            "anonymous": True,
        },
        [],
        [(PerspectiveRole.PATIENT_CARER, "The letter used words patients do not use.")],
    ),
    (
        "demo-shared-care-record",
        "ics-lead@northstar.example",
        {
            "kind": "blueprint",
            "title": "Demo: joining up a shared care record across an ICS",
            "summary": f"{SYNTHETIC} One record view for GP, acute and community staff.",
            "what_was_done": "Agreed one data sharing agreement for every partner.",
            "outcome": "ongoing",
            "topics": ["shared-care-record", "interoperability"],
            "measures": ["improve_care", "healthy_populations"],
            "org_types": ["acute", "community", "mental_health"],
        },
        [
            (
                "Month 6: community trusts connected",
                "Community nurses can now see discharge letters.",
            )
        ],
        [],
    ),
    (
        "demo-cyber-backups",
        "contributor@northstar.example",
        {
            "kind": "redprint",
            "title": "Demo: backups that had never been restored",
            "summary": f"{SYNTHETIC} A restore test found backups were incomplete.",
            "what_went_wrong": "Nobody had tested a full restore in three years.",
            "do_differently": "Test a restore every quarter and write down how long it took.",
            "outcome": "failed",
            "topics": ["cyber-security", "infrastructure-cloud"],
            "measures": ["smart_foundations"],
            "org_types": ["acute", "ambulance", "community"],
            "anonymous": True,
            "show_org_type": True,
        },
        [],
        [],
    ),
    (
        "demo-virtual-ward",
        "ics-lead@northstar.example",
        {
            "kind": "blueprint",
            "title": "Demo: a frailty virtual ward with remote monitoring",
            "summary": f"{SYNTHETIC} Patients monitored at home, with a daily clinical review.",
            "outcome": "succeeded",
            "topics": ["virtual-wards", "remote-monitoring"],
            "measures": ["improve_care"],
            "suppliers": ["Demo Monitoring Ltd"],
            "org_types": ["acute", "community"],
        },
        [],
        [(PerspectiveRole.STAFF, "The daily review call made the team confident.")],
    ),
    (
        "demo-fax-removal",
        "contributor@northstar.example",
        {
            "kind": "blueprint",
            "title": "Demo: removing the last fax machines",
            "summary": f"{SYNTHETIC} Replacing fax with secure email and direct messaging.",
            "outcome": "succeeded",
            "topics": ["fax-pager-removal"],
            "measures": ["smart_foundations"],
            "org_types": ["acute"],
        },
        [],
        [],
    ),
    (
        "demo-ambient-ai",
        "contributor@northstar.example",
        {
            "kind": "redprint",
            "title": "Demo: an ambient AI pilot stopped over consent",
            "summary": f"{SYNTHETIC} The pilot started before consent wording was agreed.",
            "what_went_wrong": "Clinics used it before patients were asked in plain words.",
            "do_differently": "Agree consent wording with patient leaders before any pilot.",
            "outcome": "stopped",
            "topics": ["ambient-ai"],
            "measures": ["well_led", "empower_citizens"],
            "org_types": ["acute", "mental_health"],
            "anonymous": True,
        },
        [
            ("Month 1: pilot paused", "Paused while consent wording is rewritten."),
            ("Month 2: patient panel met", "The panel rewrote the consent leaflet."),
        ],
        [],
    ),
    (
        "demo-digital-skills",
        "ics-lead@northstar.example",
        {
            "kind": "blueprint",
            "title": "Demo: digital skills for every new starter",
            "summary": f"{SYNTHETIC} An hour of digital induction for all staff.",
            "outcome": "succeeded",
            "topics": ["digital-skills"],
            "measures": ["support_people"],
            "org_types": ["acute", "community", "mental_health", "ambulance"],
        },
        [],
        [],
    ),
    (
        "demo-population-health",
        "ics-lead@northstar.example",
        {
            "kind": "blueprint",
            "title": "Demo: a population health dashboard for primary care networks",
            "summary": f"{SYNTHETIC} Finding people at risk before they reach hospital.",
            "outcome": "ongoing",
            "topics": ["population-health"],
            "measures": ["healthy_populations"],
            "org_types": ["pcn", "gp_practice"],
        },
        [],
        [],
    ),
    (
        "demo-cloud-migration",
        "contributor@northstar.example",
        {
            "kind": "blueprint",
            "title": "Demo: moving the data centre to the cloud in stages",
            "summary": f"{SYNTHETIC} Twelve systems moved, one a month.",
            "outcome": "partly",
            "topics": ["infrastructure-cloud"],
            "measures": ["smart_foundations"],
            "org_types": ["acute"],
        },
        [],
        [],
    ),
    (
        "demo-interop-draft",
        "contributor@northstar.example",
        {
            "kind": "redprint",
            "title": "Demo: interface engine upgrade that broke lab results",
            "summary": f"{SYNTHETIC} A draft redprint not yet published.",
            "outcome": "ongoing",
            "topics": ["interoperability"],
            "measures": ["safe_practice"],
            "anonymous": True,
        },
        [],
        [],
    ),
]

MODERATOR = "admin@northstar.example"
PERSPECTIVE_WRITERS = {
    PerspectiveRole.PATIENT_CARER: "patient-leader@northstar.example",
    PerspectiveRole.CLINICIAN: "approver@northstar.example",
    PerspectiveRole.STAFF: "approver@northstar.example",
}


def _person(email):
    return User.objects.get(email=email)


def _organisation_of(user):
    return Organisation.objects.get(pk=min(organisation_ids_of(user)))


def _checklist_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def create_demo_library():
    """Create the demo entries that do not exist yet, written by the demo
    accounts (``northstar.demo`` creates them first); say how many."""
    created = 0
    for reference, email, content, updates, perspectives in ENTRIES:
        if Entry.objects.filter(reference=reference).exists():
            continue
        author = _person(email)
        entry = services.create_entry(
            by=author, organisation=_organisation_of(author), content=content, reference=reference
        )
        created += 1
        if reference == "demo-interop-draft":
            continue
        if reference == "demo-epr-go-live":
            services.add_attachment(
                entry=entry,
                by=author,
                name="checklist.pdf",
                data=_checklist_pdf(),
                title="Demo: go-live checklist (a blank synthetic page)",
            )
        services.publish(entry=entry, by=author)
        if entry.anonymous:
            services.approve_entry(entry=entry, by=_person(MODERATOR))
        for title, body in updates:
            services.post_update(entry=entry, by=author, title=title, body=body)
        for role, body in perspectives:
            perspective = services.add_perspective(
                entry=entry, by=_person(PERSPECTIVE_WRITERS[role]), role=role, body=body
            )
            services.review_perspective(
                perspective=perspective, by=_person(MODERATOR), approve=True
            )
    return f"Learning library: {created} demo entries created ({len(ENTRIES)} in all)"
