"""The managed list of topics entries are tagged with. The data migration
puts them in the database; after every migrate (and every flush of a test
database) ``learning.apps`` puts back any that are missing."""

TOPICS = [
    ("epr", "Electronic patient record (EPR)"),
    ("e-prescribing", "E-prescribing and medicines administration (EPMA)"),
    ("patient-portal", "Patient portal"),
    ("shared-care-record", "Shared care record"),
    ("cyber-security", "Cyber security"),
    ("remote-monitoring", "Remote monitoring"),
    ("virtual-wards", "Virtual wards"),
    ("population-health", "Population health"),
    ("interoperability", "Interoperability"),
    ("ambient-ai", "Ambient AI"),
    ("digital-skills", "Digital skills"),
    ("infrastructure-cloud", "Infrastructure and cloud"),
    ("fax-pager-removal", "Fax and pager removal"),
    ("other", "Other"),
]


def ensure_topics(topic_model):
    for position, (slug, name) in enumerate(TOPICS, start=1):
        topic_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
