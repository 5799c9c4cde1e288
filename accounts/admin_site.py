"""The Django admin, opened by the policy rather than by the staff flag alone.

Used by listing ``accounts.admin_site.NorthstarAdminConfig`` in INSTALLED_APPS
in place of ``django.contrib.admin``."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class NorthstarAdminSite(admin.AdminSite):
    site_header = "Northstar administration"
    site_title = "Northstar admin"

    def has_permission(self, request):
        # Imported here because this module is loaded, as an app config,
        # before any model can be.
        from accounts.policy import Permission, has_permission

        # A superuser made outside Northstar's services (say by
        # `createsuperuser`) still needs the platform admin role.
        return request.user.is_staff and has_permission(request.user, Permission.USE_ADMIN)


class NorthstarAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.NorthstarAdminSite"
