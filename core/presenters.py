"""Small formatting helpers for pages, registered as Jinja2 filters."""

from django.utils import timezone


def date(value):
    """23 November 2026"""
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}"


def datetime(value):
    """23 November 2026 at 6:41pm"""
    if not value:
        return ""
    value = timezone.localtime(value)
    hour = value.hour % 12 or 12
    return f"{date(value)} at {hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def month(value):
    """November 2026"""
    if not value:
        return ""
    return f"{value:%B %Y}"


def score(value, places=1):
    """A maturity score to one decimal place; a dash when there is none."""
    if value is None:
        return "–"
    return f"{float(value):.{places}f}"


def plural(count, singular, plural_form=None):
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {word}"


FILTERS = {
    "date": date,
    "datetime": datetime,
    "month": month,
    "score": score,
    "plural": plural,
}
