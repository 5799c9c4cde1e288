"""Writes about people and their roles. Each function is atomic and raises
``ValidationError`` keyed by the argument at fault (``email``, ``full_name``,
``password``, ``role``, ``organisation``) before changing anything."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import get_text_list

from accounts.models import Role, RoleName, User
from accounts.policy import may_use_admin

FULL_NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length


def _add(errors, key, *messages):
    errors.setdefault(key, []).extend(messages)


def _clean_email(email, errors):
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        _add(errors, "email", f"Enter an email address like name@example.com, not {email!r}.")
        return email
    if User.objects.filter(email__iexact=email).exists():
        _add(errors, "email", f"A person with the email address {email} already exists.")
    return email


def _clean_full_name(full_name, errors):
    full_name = " ".join((full_name or "").split())
    if not full_name:
        _add(errors, "full_name", "Enter the person's full name.")
    elif len(full_name) > FULL_NAME_MAX_LENGTH:
        _add(errors, "full_name", f"Full name must be {FULL_NAME_MAX_LENGTH} characters or fewer.")
    return full_name


def _clean_roles(roles, errors):
    """``(RoleName, organisation or None)`` pairs, checked and without repeats."""
    cleaned = []
    for name, organisation in roles:
        if name not in RoleName.values:
            choices = get_text_list(list(RoleName.values), "or")
            _add(errors, "role", f"There is no role called {name!r}. Choose {choices}.")
            continue
        role = Role(name=name, organisation=organisation)
        try:
            role.clean()
        except ValidationError as error:
            _add(errors, "organisation", *error.message_dict["organisation"])
            continue
        if (role.name, organisation) not in cleaned:
            cleaned.append((role.name, organisation))
    return cleaned


def _clean_password(password, user, errors):
    if password is None:
        return
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        _add(errors, "password", *error.messages)


def _set_roles(user, roles):
    wanted = set(roles)
    for role in user.roles.select_related("organisation"):
        if (role.name, role.organisation) not in wanted:
            role.delete()
    for name, organisation in roles:
        Role.objects.get_or_create(user=user, name=name, organisation=organisation)
    sync_admin_access(user=user)


@transaction.atomic
def create_user(*, email, full_name, password=None, roles=()):
    """A new person with these ``(RoleName, organisation or None)`` roles.

    Without a password they cannot sign in until they set one through
    "Forgotten your password?"."""
    errors = {}
    email = _clean_email(email, errors)
    full_name = _clean_full_name(full_name, errors)
    roles = _clean_roles(roles, errors)
    _clean_password(password, User(email=email, username=email, full_name=full_name), errors)
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(email=email, full_name=full_name, password=password)
    _set_roles(user, roles)
    return user


@transaction.atomic
def ensure_user(*, email, full_name, password=None, roles=()):
    """Create the person, or bring an existing one (found by email) up to date:
    their name, their password when one is given, and exactly these roles.
    Running it again with the same arguments changes nothing."""
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        return create_user(email=email, full_name=full_name, password=password, roles=roles)
    errors = {}
    full_name = _clean_full_name(full_name, errors)
    roles = _clean_roles(roles, errors)
    _clean_password(password, user, errors)
    if errors:
        raise ValidationError(errors)
    user.full_name = full_name
    if password is not None and not user.check_password(password):
        user.set_password(password)
    user.save()
    _set_roles(user, roles)
    return user


@transaction.atomic
def sync_admin_access(*, user):
    """Only platform admins may use the Django admin, so its flags follow that role."""
    is_admin = may_use_admin(user)
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
