"""The words entries are tagged with: the success measures of the current
framework (by key) and organisation types."""

from frameworks.queries import latest_published
from organisations.models import OrganisationType


def measures():
    """``{key: name}`` for the success measures of the latest published framework."""
    version = latest_published()
    if version is None:
        return {}
    return {measure.key: measure.name for measure in version.measures.all()}


def measure_keys():
    return set(measures())


def measure_name(key):
    return measures().get(key, key)


def org_type_name(value):
    return dict(OrganisationType.choices).get(value, value)
