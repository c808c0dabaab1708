from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Invitations and access requests")

    def ready(self) -> None:
        from . import personal  # noqa: F401  (its core.personal receivers)
