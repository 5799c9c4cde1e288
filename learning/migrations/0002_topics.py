"""The managed list of topics (``learning.topics``). Adding a topic later is a
new data migration."""

from django.db import migrations

from learning.topics import TOPICS, ensure_topics


def add_topics(apps, schema_editor):
    ensure_topics(apps.get_model("learning", "Topic"))


def remove_topics(apps, schema_editor):
    apps.get_model("learning", "Topic").objects.filter(slug__in=[s for s, _ in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(add_topics, remove_topics)]
