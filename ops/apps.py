"""App configuration for ops."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Health check, request ids, JSON logs and security events."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        """Connect the security-event receivers."""
        from ops import security  # noqa: F401
