from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _keep_topics_complete(sender, using, **kwargs):
    """Put back any topic of the managed list that is missing: after every
    migrate, and after a test database is emptied (Django's flush sends
    post_migrate too)."""
    from django.db import connections

    from learning.models import Topic
    from learning.topics import TOPICS, ensure_topics

    if Topic._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the table existed
    if Topic.objects.using(using).count() < len(TOPICS):
        ensure_topics(Topic)


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Blueprints and redprints"

    def ready(self):
        post_migrate.connect(_keep_topics_complete, sender=self)
