"""App configuration for accounts."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    """Users, memberships and sign-in."""

    default = True

    name = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        """Start the session clocks at every sign-in."""
        from accounts import sessions  # noqa: F401


class ServiceAdminConfig(admin_apps.AdminConfig):
    """Installs our ServiceAdminSite (access by membership) as the default admin site."""

    default = False
    default_site = "accounts.admin_site.ServiceAdminSite"
