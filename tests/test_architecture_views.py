"""Views and API handlers build no queries, and no code outside
accounts/policy.py decides by a role's name: scripts/lint_model_usage_in_views.py,
run here on the project and on planted examples of each fault."""

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "lint_model_usage_in_views.py"

_spec = importlib.util.spec_from_file_location("lint_model_usage_in_views", SCRIPT)
lint = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lint)

ROLE_MODEL = """
class RoleName(models.TextChoices):
    CONTRIBUTOR = "contributor", "Contributor"
    PLATFORM_ADMIN = "platform_admin", "Platform admin"
"""


def project(tmp_path, files):
    """A project under ``tmp_path`` with accounts/models.py and ``files``."""
    for name, text in {"accounts/models.py": ROLE_MODEL, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def test_the_project_has_no_queries_in_views_and_no_role_checks_outside_policy():
    assert lint.problems() == []


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("found = Assessment.objects.all()", "`.objects` queries a model directly"),
        ("found = request.user.assessments.model.objects", "`.objects` queries a model directly"),
        ("found = Round._default_manager.first()", "`._default_manager` queries a model directly"),
        ("found = queries.visible(user).filter(pk=1)", "`.filter()` builds a query"),
        ("found = visible.order_by('name')", "`.order_by()` builds a query"),
        ("found = get_object_or_404(Round, pk=1)", "`get_object_or_404()` builds a query"),
    ],
)
@pytest.mark.parametrize("module", ["views.py", "api.py"])
def test_a_query_in_a_view_or_api_handler_is_named_with_its_line(tmp_path, module, code, why):
    root = project(tmp_path, {f"shop/{module}": f"def page(request):\n    {code}\n"})
    assert lint.problems(root) == [f"shop/{module}:2: {why}: move it to shop/queries.py"]


@pytest.mark.parametrize(
    "code",
    [
        "if role.name == RoleName.CONTRIBUTOR: pass",
        "if RoleName.PLATFORM_ADMIN != role.name: pass",
        "if role.name in (RoleName.CONTRIBUTOR, RoleName.PLATFORM_ADMIN): pass",
        "if role.name == 'platform_admin': pass",
        "admins = user.roles.filter(name=RoleName.PLATFORM_ADMIN)",
        "admins = Role.objects.get(user=user, name='contributor')",
        "allowed = has_role(user, RoleName.CONTRIBUTOR)",
        "match role.name:\n    case RoleName.CONTRIBUTOR: pass",
    ],
)
def test_a_role_name_check_outside_policy_is_named_with_its_line(tmp_path, code):
    root = project(tmp_path, {"shop/services.py": f"x = 1\n{code}\n"})
    [problem] = lint.problems(root)
    assert problem.startswith("shop/services.py:")
    assert problem.endswith("ask accounts/policy.py instead")


def test_what_is_allowed_passes(tmp_path):
    root = project(
        tmp_path,
        {
            # Policy decides by role; services and queries may query.
            "accounts/policy.py": "def admin(role):\n    return role.name == RoleName.PLATFORM_ADMIN\n",
            "shop/services.py": "def count():\n    return Round.objects.filter(open=True).count()\n",
            "shop/queries.py": "def rounds():\n    return Round.objects.order_by('name')\n",
            # Views call queries; other role uses are not checks.
            "shop/views.py": "def page(request):\n    return queries.rounds(), {}.get('a')\n",
            "shop/presenters.py": "WORDS = {RoleName.CONTRIBUTOR: 'You answer'}\n"
            "known = name in RoleName.values\n",
            "shop/tests/test_views.py": "assert Round.objects.filter(name='contributor')\n",
            "shop/migrations/0001_initial.py": "Round.objects.filter(pk=1)\n",
        },
    )
    assert lint.problems(root) == []


def test_the_script_exits_nonzero_and_prints_file_and_line(tmp_path):
    root = project(tmp_path, {"shop/views.py": "\n\nrounds = Round.objects.all()\n"})
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "shop/views.py:3: `.objects` queries a model directly" in result.stdout


def test_make_lint_runs_the_script():
    makefile = (ROOT / "Makefile").read_text()
    lint_target = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/lint_model_usage_in_views.py" in lint_target
