"""Why an entry is a journey like yours: the same type of organisation, the
topics you are working on, a similar maturity profile (when measure scores
are given) and whether the journey is live. Anonymous entries take part
through what they show (the type, only if their author chose to show it; the
types they apply to; their topics), never through who wrote them."""

from dataclasses import dataclass, field

from django.utils.text import get_text_list

from learning.models import TagKind
from organisations.models import OrganisationType

# Mean difference per success measure (scores 1 to 5) still counted as similar.
SIMILAR_PROFILE = 0.75


@dataclass
class Suggestion:
    entry: object
    live: bool
    reasons: list = field(default_factory=list)
    score: float = 0.0


def profile_distance(mine, theirs):
    """Mean absolute difference over the measures both have; None when none."""
    shared = [key for key in mine if key in theirs]
    if not shared:
        return None
    return sum(abs(float(mine[key]) - float(theirs[key])) for key in shared) / len(shared)


def _type_words(org_type):
    return dict(OrganisationType.choices).get(org_type, org_type).lower()


def _why(organisation, entry, topics, profiles):
    """``(score, reasons)`` for one entry."""
    score, reasons = 0.0, []
    author_type = entry.organisation.org_type if entry.organisation_id else entry.shown_org_type
    applies_to = {tag.value for tag in entry.tags.all() if tag.kind == TagKind.ORG_TYPE}
    if author_type and author_type == organisation.org_type:
        score += 2
        reasons.append(
            f"Written by an organisation of the same type as yours ({_type_words(author_type)})"
        )
    elif organisation.org_type in applies_to:
        score += 1.5
        reasons.append(
            f"Its authors say it applies to your type of organisation ({_type_words(organisation.org_type)})"
        )
    shared = [topic.name for topic in entry.topics.all() if topic.slug in topics]
    if shared:
        score += len(shared)
        reasons.append(
            f"About {get_text_list(shared, 'and')}, which your organisation is working on"
        )
    mine = profiles.get(organisation.id)
    theirs = profiles.get(entry.organisation_id) if entry.organisation_id else None
    if mine and theirs:
        distance = profile_distance(mine, theirs)
        if distance is not None and distance <= SIMILAR_PROFILE:
            score += 2 * (1 - distance / SIMILAR_PROFILE) + 0.5
            reasons.append("From an organisation whose success measure scores are close to yours")
    return score, reasons


def rank(organisation, entries, *, topics, measure_scores, live_since):
    """Suggestions for ``organisation`` among ``entries``: live journeys first,
    then by how alike they are. Entries with nothing in common are left out."""
    profiles = {}
    if measure_scores is not None:
        ids = {organisation.id} | {e.organisation_id for e in entries if e.organisation_id}
        profiles = measure_scores(sorted(ids)) or {}
    suggestions = []
    for entry in entries:
        score, reasons = _why(organisation, entry, topics, profiles)
        if not reasons:
            continue
        live = entry.last_activity_at is not None and entry.last_activity_at >= live_since
        if live:
            reasons.append("A live journey: updated in the last six months")
        suggestions.append(Suggestion(entry=entry, live=live, reasons=reasons, score=score))
    suggestions.sort(key=lambda s: (not s.live, -s.score, -s.entry.last_activity_at.timestamp()))
    return suggestions
