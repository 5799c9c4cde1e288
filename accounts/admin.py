"""People, roles and tokens in the Django admin, which only platform admins
can reach: its staff and superuser flags follow the platform admin role, and
here they are read-only."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts import services, tokens
from accounts.models import ApiToken, Role, User
from core.presenters import plural


class RoleInline(admin.TabularInline):
    model = Role
    fields = ["name", "organisation", "granted_at"]
    readonly_fields = ["granted_at"]
    extra = 0


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "is_active"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    inlines = [RoleInline]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "roles__name"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        (
            "Access",
            {
                "fields": ["is_active", "is_staff", "is_superuser"],
                "description": "Staff and superuser status come with the platform admin role.",
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "usable_password", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
        # People sign in with their email address, kept as the username.
        obj.email = obj.email.strip().lower()
        obj.username = obj.email
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_admin_access(user=form.instance)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "organisation", "granted_at"]
    list_filter = ["name"]
    search_fields = [
        "user__email",
        "user__full_name",
        "organisation__name",
        "organisation__ods_code",
    ]
    list_select_related = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.sync_admin_access(user=obj.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.sync_admin_access(user=obj.user)

    def delete_queryset(self, request, queryset):
        users = {role.user for role in queryset.select_related("user")}
        super().delete_queryset(request, queryset)
        for user in users:
            services.sync_admin_access(user=user)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners, who alone see the secret; here they
    can only be looked at and revoked."""

    list_display = ["name", "user", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for api_token in queryset:
            tokens.revoke(api_token=api_token, by=request.user)
        self.message_user(request, f"Revoked {plural(len(queryset), 'token')}.", messages.SUCCESS)
