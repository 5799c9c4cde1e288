from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class RoleName(models.TextChoices):
    CONTRIBUTOR = "contributor", "Contributor"
    APPROVER = "approver", "Approver"
    ICS_LEAD = "ics_lead", "ICS digital lead"
    NATIONAL_ANALYST = "national_analyst", "National analyst"
    PATIENT_LEADER = "patient_leader", "Patient or carer leader"
    PLATFORM_ADMIN = "platform_admin", "Platform admin"


# Roles held nationally rather than at one organisation.
NATIONAL_ROLES = frozenset({RoleName.NATIONAL_ANALYST, RoleName.PLATFORM_ADMIN})


class NorthstarUserManager(UserManager):
    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("username", email.lower())
        return super().create_user(email=email, password=password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("username", email.lower())
        return super().create_superuser(email=email, password=password, **extra_fields)


class User(AbstractUser):
    """A person. Signs in with their email address, kept as the username."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)

    REQUIRED_FIELDS = ["email", "full_name"]
    objects = NorthstarUserManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="unique_email_ignoring_case",
                violation_error_message="A person with this email address already exists.",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name


class Role(models.Model):
    """A person's role, at an organisation unless the role is national."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=30, choices=RoleName.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name", "organisation"], name="unique_role_at_organisation"
            ),
            models.CheckConstraint(
                condition=(
                    Q(name__in=sorted(NATIONAL_ROLES), organisation__isnull=True)
                    | (~Q(name__in=sorted(NATIONAL_ROLES)) & Q(organisation__isnull=False))
                ),
                name="national_roles_have_no_organisation",
            ),
        ]

    def __str__(self):
        where = self.organisation.name if self.organisation_id else "national"
        return f"{self.get_name_display()} ({where})"

    def clean(self):
        """Where each role may be held: national roles nowhere in particular,
        an ICS digital lead at an integrated care board, every other role at
        one organisation."""
        if self.name not in RoleName.values:
            return
        label = RoleName(self.name).label
        organisation = self.organisation if self.organisation_id else None
        if self.name in NATIONAL_ROLES:
            if organisation is not None:
                raise ValidationError(
                    {"organisation": f"{label} is a national role: leave the organisation empty."}
                )
        elif organisation is None:
            raise ValidationError(
                {"organisation": f"Choose the organisation for the {label} role."}
            )
        elif self.name == RoleName.ICS_LEAD and not organisation.is_ics:
            raise ValidationError(
                {
                    "organisation": "An ICS digital lead role must be at an integrated care "
                    f"board (ICB), and {organisation} is not one "
                    f"({organisation.get_org_type_display()})."
                }
            )


class ApiToken(models.Model):
    """A personal access token for the API. Only a hash is stored; the token
    is shown once, when it is created."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="api_token_scope_is_known"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None
