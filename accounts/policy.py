"""Who may see and do what: the one place that decides.

Pages call ``require_permission(user, Permission.X, organisation=...)`` and API
handlers ``require_api_permission(...)``; both ask ``has_permission``. Reads go
through the ``*_visible_to(user)`` queries here, so no view builds its own
permission check.
"""

from datetime import date
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from ninja.errors import HttpError

from accounts.models import NATIONAL_ROLES, RoleName
from organisations.models import Membership, Succession
from organisations.queries import ics_of, in_force_on


class Permission(StrEnum):
    VIEW_ORGANISATION_PRIVATE = "view_organisation_private"
    VIEW_LOCAL_DOMAINS = "view_local_domains"
    VIEW_NATIONAL_DATA = "view_national_data"
    MANAGE_FRAMEWORKS = "manage_frameworks"
    MANAGE_ORGANISATIONS = "manage_organisations"
    MANAGE_USERS = "manage_users"
    USE_ADMIN = "use_admin"
    WRITE_LEARNING = "write_learning"
    ADD_PERSPECTIVE = "add_perspective"
    MODERATE_LEARNING = "moderate_learning"
    MANAGE_ROUNDS = "manage_rounds"
    VIEW_FUNDING = "view_funding"
    RECORD_FUNDING = "record_funding"


# What each permission lets a person do, in the words of a refusal.
PERMISSION_WORDS = {
    Permission.VIEW_ORGANISATION_PRIVATE: "see this organisation's answers and evidence",
    Permission.VIEW_LOCAL_DOMAINS: "see local domains",
    Permission.VIEW_NATIONAL_DATA: "see national data",
    Permission.MANAGE_FRAMEWORKS: "manage frameworks",
    Permission.MANAGE_ORGANISATIONS: "manage organisations",
    Permission.MANAGE_USERS: "manage people and their roles",
    Permission.USE_ADMIN: "use the administration pages",
    Permission.WRITE_LEARNING: "write your organisation's blueprints and redprints",
    Permission.ADD_PERSPECTIVE: "add a perspective to a blueprint or redprint",
    Permission.MODERATE_LEARNING: "moderate the learning library",
    Permission.MANAGE_ROUNDS: "open and close assessment rounds",
    Permission.VIEW_FUNDING: "see this organisation's funding and IT spend",
    Permission.RECORD_FUNDING: "record this organisation's funding and IT spend",
}


class Reach(StrEnum):
    """How far a role's permissions extend from the organisation it is held at."""

    OWN = "own organisation"
    ICS = "own ICS and its members"
    NATIONAL = "every organisation"


_ORGANISATION_MEMBER = {Permission.VIEW_ORGANISATION_PRIVATE, Permission.VIEW_LOCAL_DOMAINS}

# Writing for the learning library is done at one's own organisation only.
_LEARNING_WRITER = {Permission.WRITE_LEARNING, Permission.ADD_PERSPECTIVE}

# Funding is seen by the organisation, its ICS and national analysts, and
# recorded by the organisation's approver.
_FUNDING_READER = {Permission.VIEW_FUNDING}
_FUNDING_WRITER = {Permission.VIEW_FUNDING, Permission.RECORD_FUNDING}

ROLE_PERMISSIONS = {
    RoleName.CONTRIBUTOR: _ORGANISATION_MEMBER | _LEARNING_WRITER | _FUNDING_READER,
    RoleName.APPROVER: _ORGANISATION_MEMBER | _LEARNING_WRITER | _FUNDING_WRITER,
    RoleName.PATIENT_LEADER: {Permission.VIEW_LOCAL_DOMAINS, Permission.ADD_PERSPECTIVE},
    RoleName.ICS_LEAD: _ORGANISATION_MEMBER | _LEARNING_WRITER | _FUNDING_READER,
    RoleName.NATIONAL_ANALYST: {
        Permission.VIEW_NATIONAL_DATA,
        Permission.VIEW_ORGANISATION_PRIVATE,
        Permission.ADD_PERSPECTIVE,
        Permission.VIEW_FUNDING,
    },
    RoleName.PLATFORM_ADMIN: set(Permission),
}

ROLE_REACH = {
    RoleName.CONTRIBUTOR: Reach.OWN,
    RoleName.APPROVER: Reach.OWN,
    RoleName.PATIENT_LEADER: Reach.OWN,
    RoleName.ICS_LEAD: Reach.ICS,
    RoleName.NATIONAL_ANALYST: Reach.NATIONAL,
    RoleName.PLATFORM_ADMIN: Reach.NATIONAL,
}


def roles_of(user):
    """The user's roles, fetched once per request object."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_northstar_roles"):
        user._northstar_roles = list(user.roles.select_related("organisation"))
    return user._northstar_roles


def has_role(user, *names):
    return any(role.name in names for role in roles_of(user))


def organisation_ids_of(user):
    """The organisations where the user holds a role (national roles are held at none)."""
    return {role.organisation_id for role in roles_of(user) if role.organisation_id}


def may_use_admin(user):
    """Whether the user's roles as stored now let them use the Django admin,
    whose staff flags follow this."""
    names = user.roles.values_list("name", flat=True)
    return any(Permission.USE_ADMIN in ROLE_PERMISSIONS[name] for name in names)


def _reaches(role, organisation):
    reach = ROLE_REACH[role.name]
    if reach == Reach.NATIONAL:
        return True
    if role.organisation_id == organisation.id:
        return True
    if reach == Reach.ICS:
        ics = ics_of(organisation)
        return ics is not None and ics.id == role.organisation_id
    return False


def has_permission(user, permission, organisation=None):
    """Whether the user holds ``permission``; at ``organisation`` when given."""
    if not user.is_authenticated or not user.is_active:
        return False
    for role in roles_of(user):
        if permission not in ROLE_PERMISSIONS[role.name]:
            continue
        if organisation is None or _reaches(role, organisation):
            return True
    return False


def refusal(permission, organisation=None):
    """Why a request was refused, and what to do about it."""
    where = f" at {organisation.name}" if organisation is not None else ""
    return (
        f"Your roles do not let you {PERMISSION_WORDS[permission]}{where}. "
        "If you think they should, ask your organisation's Northstar administrator."
    )


def require_permission(user, permission, organisation=None):
    """For views: raise ``PermissionDenied`` unless the user holds the permission."""
    if not has_permission(user, permission, organisation=organisation):
        raise PermissionDenied(refusal(permission, organisation))


def require_api_permission(user, permission, organisation=None):
    """For API handlers: answer 403 with the reason unless the user holds the permission."""
    if not has_permission(user, permission, organisation=organisation):
        raise HttpError(403, refusal(permission, organisation))


def may_revoke_token(user, api_token):
    """A person may revoke their own tokens; people managers may revoke anyone's."""
    return api_token.user_id == user.id or has_permission(user, Permission.MANAGE_USERS)


def is_national(user):
    return any(role.name in NATIONAL_ROLES for role in roles_of(user))


def ics_ids_of(user):
    """The ICSs the user belongs to: where they hold a role, or the current
    ICS of the organisation where they do."""
    ids = set()
    for role in roles_of(user):
        if role.organisation_id is None:
            continue
        ics = ics_of(role.organisation)
        if ics is not None:
            ids.add(ics.id)
    return ids


def domains_visible_to(user, framework_version):
    """The national core plus the local domains of the user's own ICSs;
    platform admins and national analysts see every local set."""
    domains = framework_version.domains.select_related("measure", "local_set")
    if is_national(user):
        return domains
    return domains.filter(Q(local_set__isnull=True) | Q(local_set__ics_id__in=ics_ids_of(user)))


# --- Self-assessments -------------------------------------------------------


class Step(StrEnum):
    """What a person may do to one assessment. Sign-off is by named role, not
    by permission, because each step is someone's own signature: a platform
    admin, who holds every permission, still may not approve for a trust."""

    ANSWER = "answer"
    SUBMIT = "submit"
    APPROVE = "approve"
    VALIDATE = "validate"
    PUBLISH = "publish"
    SEND_BACK = "send_back"


STEP_WORDS = {
    Step.ANSWER: "change this assessment's answers and evidence",
    Step.SUBMIT: "submit this assessment",
    Step.APPROVE: "approve this assessment",
    Step.VALIDATE: "validate this assessment",
    Step.PUBLISH: "publish this assessment",
    Step.SEND_BACK: "send this assessment back to draft",
}


def _holds(user, role_name, organisation=None):
    return any(
        role.name == role_name and (organisation is None or role.organisation_id == organisation.id)
        for role in roles_of(user)
    )


def _validator_holds(user, assessment):
    """An ICS's own assessment is validated nationally; a member's by the ICS
    lead of the ICS it belonged to under the structure the round is shown with."""
    if assessment.care_setting == "ics":
        return _holds(user, RoleName.NATIONAL_ANALYST)
    ics = ics_of(assessment.organisation, on=assessment.round.structure_on)
    return ics is not None and _holds(user, RoleName.ICS_LEAD, ics)


def may_take_step(user, step, assessment, *, pending=None):
    """Whether the user's roles let them take ``step`` on ``assessment``
    (whether its status allows the step is the workflow's question). Whoever
    may take the step an assessment waits for, ``pending``, may refuse it by
    sending the assessment back to draft."""
    if not user.is_authenticated or not user.is_active:
        return False
    organisation = assessment.organisation
    if step in (Step.ANSWER, Step.SUBMIT):
        return _holds(user, RoleName.CONTRIBUTOR, organisation)
    if step == Step.APPROVE:
        return _holds(user, RoleName.APPROVER, organisation)
    if step == Step.VALIDATE:
        return _validator_holds(user, assessment)
    if step == Step.PUBLISH:
        return _holds(user, RoleName.PLATFORM_ADMIN)
    return pending not in (None, Step.SUBMIT, Step.SEND_BACK) and may_take_step(
        user, pending, assessment
    )


def holders_of(step, assessment):
    """Who may take ``step`` on ``assessment``, in words for a refusal."""
    organisation = assessment.organisation
    if step in (Step.ANSWER, Step.SUBMIT):
        return f"a contributor at {organisation.name}"
    if step == Step.APPROVE:
        return f"an approver at {organisation.name}"
    if step == Step.VALIDATE:
        if assessment.care_setting == "ics":
            return "a national analyst"
        ics = ics_of(organisation, on=assessment.round.structure_on)
        return f"the ICS lead of {ics.name}" if ics else "an ICS lead"
    return "a platform administrator"


def step_refusal(step):
    return (
        f"Your roles do not let you {STEP_WORDS[step]}. "
        "If you think they should, ask your organisation's Northstar administrator."
    )


def assessment_scope(user):
    """A filter for the assessments whose answers and evidence the user may
    see: their own organisation's; an ICS lead's ICS and the organisations in
    it under each round's structure; every one for national roles."""

    def members(ics_id):
        return Q(
            Exists(
                Membership.objects.filter(
                    in_force_on(OuterRef("round__opens_on")),
                    ics_id=ics_id,
                    organisation=OuterRef("organisation"),
                )
            )
        )

    return _scope(user, Permission.VIEW_ORGANISATION_PRIVATE, members)


def _scope(user, permission, ics_members):
    """The filter of what ``permission`` lets the user see: everything for a
    national role, their own organisation's, and for an ICS role
    ``ics_members(ics id)`` too."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    scope = Q(pk__in=[])
    for role in roles_of(user):
        if permission not in ROLE_PERMISSIONS[role.name]:
            continue
        reach = ROLE_REACH[role.name]
        if reach == Reach.NATIONAL:
            return Q()
        scope |= Q(organisation_id=role.organisation_id)
        if reach == Reach.ICS:
            scope |= ics_members(role.organisation_id)
    return scope


# --- Learning library -------------------------------------------------------


def writing_organisation_ids(user):
    """The organisations the user writes blueprints and redprints for: those
    where they hold a role that may write, held there (never by ICS or
    national reach)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return {
        role.organisation_id
        for role in roles_of(user)
        if role.organisation_id and Permission.WRITE_LEARNING in ROLE_PERMISSIONS[role.name]
    }


def may_give_patient_perspective(user):
    """Only patient and carer leaders add the patient or carer perspective."""
    return has_role(user, RoleName.PATIENT_LEADER)


# --- Funding ----------------------------------------------------------------


def financial_year_ends(year):
    """The day a financial year's ICS structure is read on: its last day
    (2025 → 31 March 2026), as ICS changes take effect on 1 April."""
    return date(year + 1, 3, 31)


def ics_and_predecessors(ics_id):
    """An ICS and every ICS that merged or split into it, so its history
    includes the years before it was formed."""
    found, todo = set(), [ics_id]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        todo += Succession.objects.filter(successor_id=current).values_list(
            "predecessor_id", flat=True
        )
    return found


def funding_scope(user, years):
    """A filter for the funding years (of ``years``) the user may see: their
    own organisation's; for an ICS lead, its members' in the years they were
    members (under each year's structure); every one for national roles."""

    def members(ics_id):
        icss = ics_and_predecessors(ics_id)
        scope = Q(pk__in=[])
        for year in years:
            in_ics = Membership.objects.filter(
                in_force_on(financial_year_ends(year)), ics_id__in=icss
            ).values("organisation_id")
            scope |= Q(year=year, organisation_id__in=in_ics)
        return scope

    return _scope(user, Permission.VIEW_FUNDING, members)
