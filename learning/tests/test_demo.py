import pytest

from learning.demo import ENTRIES, create_demo_library
from learning.models import Entry, EntryStatus, JourneyUpdate, Perspective
from northstar import demo

pytestmark = pytest.mark.django_db


def test_demo_library_is_synthetic_varied_and_idempotent():
    demo.load_reference_data(lambda line: None)
    demo.create_demo_accounts()

    create_demo_library()
    again = create_demo_library()

    assert again == "Learning library: 0 demo entries created (12 in all)"
    entries = Entry.objects.all()
    assert entries.count() == len(ENTRIES) == 12
    assert all(e.title.startswith("Demo:") and "Synthetic" in e.summary for e in entries)
    assert entries.filter(anonymous=True, status=EntryStatus.PUBLISHED).count() >= 3
    assert entries.filter(status=EntryStatus.DRAFT).count() == 1
    assert JourneyUpdate.objects.count() >= 5
    assert Perspective.objects.filter(status="approved").count() >= 5
    assert len({t.slug for e in entries for t in e.topics.all()}) >= 10
    assert Entry.objects.get(reference="demo-epr-go-live").attachments.count() == 1
