"""Atom feeds of published entries, per topic and per success measure. An
anonymous entry's author is "An NHS organisation" and its dates are the first
of the month."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from learning import presenters, queries
from learning.vocabulary import measures


def _month_or_moment(entry, value):
    if value is None:
        return None
    if entry.anonymous:
        return value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return value


class _EntryFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.title}"

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return presenters.entry_url(item)

    def item_guid(self, item):
        return f"northstar-learning-{item.reference}"

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return presenters.author(item)

    def item_pubdate(self, item):
        return _month_or_moment(item, item.published_at)

    def item_updateddate(self, item):
        return _month_or_moment(item, item.last_activity_at)

    def item_categories(self, item):
        return presenters.topic_names(item)


class TopicFeed(_EntryFeed):
    def get_object(self, request, topic):
        return queries.topic_by(topic)

    def title(self, obj):
        return f"Northstar blueprints and redprints: {obj.name}"

    def link(self, obj):
        return reverse("learning:topic", args=[obj.slug])

    def subtitle(self, obj):
        return f"New and updated blueprints and redprints about {obj.name}."

    def items(self, obj):
        return queries.entries_for_feed(topic=obj.slug)


class MeasureFeed(_EntryFeed):
    def get_object(self, request, measure):
        name = measures().get(measure)
        if name is None:
            raise Http404(f"There is no success measure “{measure}”.")
        return measure, name

    def title(self, obj):
        return f"Northstar blueprints and redprints: {obj[1]}"

    def link(self, obj):
        return reverse("learning:measure", args=[obj[0]])

    def subtitle(self, obj):
        return f"New and updated blueprints and redprints for the success measure {obj[1]}."

    def items(self, obj):
        return queries.entries_for_feed(measure=obj[0])
