import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        # Authlib logs the PKCE code verifier at DEBUG; sign-in secrets stay out of the
        # log whatever LOG_LEVEL says.
        logging.getLogger("authlib").setLevel(logging.INFO)
        from . import personal  # noqa: F401  (its core.personal receivers)
