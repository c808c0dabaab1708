"""Sign-in identities at OpenID Connect providers, and their approved links.

A login seen for the first time gets a user account of its own, which is a
plain reader: nothing a provider says about the person or the organisation is
trusted until an administrator approves the link (sso.approval).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginIdentityQuerySet(models.QuerySet):
    def pending(self) -> LoginIdentityQuerySet:
        return self.filter(approved__isnull=True)


class LoginIdentity(models.Model):
    """One login at one provider (its ``sub``), the account it signs in to, and
    the person and organisation an administrator linked it to.

    Only these claims are kept: the subject, the name, the e-mail address and the
    organisation number. A national identity number (ID-porten's ``pid``) never is.
    """

    provider = models.CharField(_("provider"), max_length=30)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="login_identity",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name given by the provider"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address given by the provider"), blank=True)
    org_number = models.CharField(
        _("organisation number given by the provider"), max_length=9, blank=True
    )
    person = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="login_identities",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="login_identities",
        verbose_name=_("acts for organisation"),
    )
    approved = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    first_seen = models.DateTimeField(_("first signed in"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last signed in"), auto_now=True)

    objects = LoginIdentityQuerySet.as_manager()

    class Meta:
        verbose_name = _("login identity")
        verbose_name_plural = _("login identities")
        ordering = ["-first_seen"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"],
                name="%(app_label)s_%(class)s_unique_subject",
                violation_error_message=_("This login is already known."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.user} ({self.provider})"

    @property
    def email_domain(self) -> str:
        return self.email.rpartition("@")[2].lower() if "@" in self.email else ""
