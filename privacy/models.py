"""Requests to erase personal data, and the record of each erasure.

Neither model holds a real name, e-mail address or phone number: an erasure
request points at the account that asked, and an erasure names only the
pseudonyms it gave (docs/privacy.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import History


class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    ERASED = "erased", _("Erased")
    DECLINED = "declined", _("Declined")


class ErasureRequest(models.Model):
    """A signed-in user asked for their personal data to be erased.

    National administrators see open requests in the admin and were told by
    e-mail; erasing the account (admin action or ``unikom privacy erase``)
    closes them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="erasure_requests",
        verbose_name=_("user"),
    )
    created = models.DateTimeField(_("asked"), auto_now_add=True)
    message = models.TextField(
        _("message"),
        max_length=2000,
        blank=True,
        help_text=_("Anything the administrators should know, e.g. to keep your account."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state="open"),
                name="%(app_label)s_%(class)s_one_open_per_user",
                violation_error_message=_("You have already asked for erasure."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.user} ({self.get_state_display()})"


class Reason(models.TextChoices):
    REQUEST = "request", _("Asked for by the person")
    ADMIN = "admin", _("Decided by an administrator")
    EXPIRED = "expired", _("Account unused past the retention period")


class Erasure(models.Model):
    """One erasure: which account and person were pseudonymised, when and why.

    Only ids and pseudonyms are kept, so the log itself holds no personal data.
    Erasing the same account or person again adds a row and changes nothing else.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("account"),
    )
    person = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=200)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    erased_at = models.DateTimeField(_("erased"), auto_now_add=True)
    history_rows = models.PositiveIntegerField(_("history rows rewritten"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("The administrator who erased; empty for the daily expiry."),
    )

    # Kept with history like the records it erases: the new history row moves the
    # data version (core.cache), so that pages and downloads kept before the
    # erasure, on every server, are made afresh without the old name.
    history = History()

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.get_reason_display()})"


class Deactivation(models.Model):
    """When the daily expiry deactivated an unused account (``unikom privacy expire``).

    The account is erased once it has stayed deactivated for
    ``UNIKOM_ACCOUNT_ERASE_DAYS`` after this.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deactivation",
        verbose_name=_("account"),
    )
    deactivated_at = models.DateTimeField(_("deactivated"))

    class Meta:
        verbose_name = _("deactivation")
        verbose_name_plural = _("deactivations")
        ordering = ["-deactivated_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.deactivated_at:%Y-%m-%d})"
