import copy

import pytest
from django.core.management import CommandError, call_command

from frameworks import services
from frameworks.models import Domain, Element, FrameworkVersion, LocalDomainSet
from frameworks.tests.factories import framework_data, load, local_data, write
from organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_load_framework_creates_every_measure_domain_level_and_element(tmp_path):
    version = load(tmp_path)
    assert version.measures.count() == 7
    assert version.domains.count() == 7 * 2 + 2
    assert set(version.domains.values_list("level", flat=True)) == {"organisation", "ics"}
    epr = version.domains.get(key="epr")
    assert [e.key for e in epr.elements.all()] == [f"{n}{x}" for n in range(1, 6) for x in "ab"]
    assert version.consistency_rules.get().requires_domain == epr
    assert version.board_questions.count() == 8


def test_load_framework_twice_changes_nothing(tmp_path):
    path = write(tmp_path, framework_data())
    services.load(path=path)
    result = services.load(path=path)
    assert result.outcome == "unchanged"
    assert FrameworkVersion.objects.count() == 1


def test_changed_file_under_a_published_version_is_refused(tmp_path):
    load(tmp_path)
    changed = framework_data()
    changed["measures"][0]["domains"][0]["question"] = "A reworded question?"
    with pytest.raises(services.FrameworkFileInvalid) as refused:
        services.load(path=write(tmp_path, changed))
    assert "already published and cannot change" in refused.value.messages[0]
    assert Domain.objects.get(key="well-led-core").question == "How mature is well-led-core?"


def test_a_new_version_is_a_new_record_and_the_old_one_stays(tmp_path):
    old = load(tmp_path)
    changed = framework_data(version="2026.1")
    changed["measures"][0]["domains"][0]["question"] = "A reworded question?"
    new = load(tmp_path, changed)
    assert FrameworkVersion.objects.count() == 2
    assert old.domains.get(key="well-led-core").question == "How mature is well-led-core?"
    assert new.domains.get(key="well-led-core").question == "A reworded question?"


def test_a_draft_version_may_be_reloaded_with_changes(tmp_path):
    load(tmp_path, framework_data(status="draft"))
    changed = framework_data(status="draft")
    changed["measures"][0]["domains"][0]["name"] = "Renamed"
    result = services.load(path=write(tmp_path, changed))
    assert result.outcome == "replaced"
    assert Domain.objects.get(key="well-led-core").name == "Renamed"


def test_three_faults_are_all_reported_with_their_locations_and_nothing_loads(tmp_path):
    bad = framework_data()
    bad["measures"][2]["domains"][1]["weight"] = 0
    bad["measures"][0]["domains"][0]["levels"][3] = [{"id": "3a", "text": "Only one"}]
    bad["consistency_rules"][0]["requires"]["domain"] = "no-such-domain"
    path = write(tmp_path, bad, "bad.yaml")
    with pytest.raises(CommandError) as refused:
        call_command("load-framework", str(path))
    message = str(refused.value)
    assert "bad.yaml: measures[2].domains[1].weight: must be greater than 0" in message
    assert "bad.yaml: measures[0].domains[0].levels.3: must have 2 to 4 elements, not 1" in message
    assert (
        "bad.yaml: consistency_rules[0].requires.domain: no domain has the id 'no-such-domain'"
        in message
    )
    assert "3 problems; nothing was loaded." in message
    assert FrameworkVersion.objects.count() == 0
    assert Element.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["measures"][0]["domains"].append(
                copy.deepcopy(d["measures"][0]["domains"][0])
            ),
            "is used by another domain",
        ),
        (lambda d: d["measures"].pop(), "missing success measures: healthy_populations"),
        (
            lambda d: d["measures"][1]["domains"][0].update(care_settings=["hospital"]),
            "'hospital' is not one of",
        ),
        (lambda d: d["measures"][1]["domains"][0]["levels"].pop(5), "levels.5: is missing"),
        (
            lambda d: d["measures"][1]["domains"][0].update(comparable_since="2030.1"),
            "is later than this version",
        ),
        (lambda d: d["measures"][1]["domains"][0].update(weight="heavy"), "must be a number"),
        (lambda d: d["board_questions"].pop(), "must have exactly 8 questions, not 7"),
        (lambda d: d["framework"].update(version="v2"), "must look like 2025.1"),
        (
            lambda d: d["scoring"].update(measure="median"),
            "scoring.measure: must be one of weighted_mean",
        ),
        (
            lambda d: d["consistency_rules"][0]["requires"].update(domain="ics-well-led"),
            "same level",
        ),
        (
            lambda d: d["measures"][0]["domains"][0]["levels"][2][0].update(id="3a"),
            "is not a level 2 element id",
        ),
    ],
)
def test_each_kind_of_fault_is_named(tmp_path, change, expected):
    bad = framework_data()
    change(bad)
    with pytest.raises(services.FrameworkFileInvalid) as refused:
        services.load(path=write(tmp_path, bad))
    assert any(expected in message for message in refused.value.messages), refused.value.messages


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("framework:\n  slug: wgll\n  title: [unclosed\n")
    with pytest.raises(services.FrameworkFileInvalid) as refused:
        services.load(path=path)
    assert refused.value.messages[0].startswith("broken.yaml: line ")


def test_check_only_validates_without_writing(tmp_path, capsys):
    path = write(tmp_path, framework_data())
    call_command("load-framework", str(path), "--check")
    assert "valid" in capsys.readouterr().out
    assert FrameworkVersion.objects.count() == 0


def test_every_shipped_framework_file_loads(settings):
    from pathlib import Path

    shipped = sorted((Path(settings.BASE_DIR) / "data" / "frameworks").glob("*.yaml"))
    assert shipped, "no framework file is shipped"
    for path in shipped:
        result = services.load(path=path)
        assert result.outcome == "created", path


def _ics(code="QE1"):
    return Organisation.objects.create(
        ods_code=code, name=f"NHS {code} Integrated Care Board", org_type="icb"
    )


def test_local_domains_load_beside_the_national_core(tmp_path):
    version = load(tmp_path)
    _ics()
    services.load(path=write(tmp_path, local_data(), "local.yaml"))
    local = version.domains.get(key="local-community-diagnostics")
    assert local.is_local and local.measure.key == "improve_care"
    assert LocalDomainSet.objects.get().ics.ods_code == "QE1"
    assert version.domains.filter(local_set__isnull=True).count() == 16


def test_local_domains_may_not_reuse_a_national_id_or_name_an_unknown_ics(tmp_path):
    load(tmp_path)
    data = local_data(ics="Q99")
    data["measures"][0]["domains"][0]["id"] = "epr"
    with pytest.raises(services.FrameworkFileInvalid) as refused:
        services.load(path=write(tmp_path, data, "local.yaml"))
    messages = "\n".join(refused.value.messages)
    assert "'epr' is a national domain" in messages
    assert "no ICS has the ODS code 'Q99'" in messages
    assert LocalDomainSet.objects.count() == 0


def test_changed_local_domains_file_is_refused_once_its_domains_have_answers(tmp_path):
    from assessments.tests.factories import answer, build_world

    world = build_world()
    path = write(tmp_path, local_data(ics="QTEST"), "local.yaml")
    call_command("load-framework", str(path))
    retitled = local_data(ics="QTEST")
    retitled["local_for"]["title"] = "Renamed local domains"
    path = write(tmp_path, retitled, "local.yaml")
    call_command("load-framework", str(path))  # no answers yet: the set is replaced
    answered = answer(world, "local-community-diagnostics", ["1a", "1b"])
    retitled["local_for"]["title"] = "Renamed again"
    path = write(tmp_path, retitled, "local.yaml")
    for check in ([], ["--check"]):
        with pytest.raises(CommandError) as refused:
            call_command("load-framework", str(path), *check)
        assert str(refused.value).startswith("local.yaml: local_for: QTEST's local domains for ")
        assert "already have answers and cannot change" in str(refused.value)
    assert LocalDomainSet.objects.get().title == "Renamed local domains"
    assert answered.domain.local_set == LocalDomainSet.objects.get()
