"""How people get roles without an administrator: invitations, access requests,
and the verified e-mail addresses both rely on.

The roles themselves are ``accounts.Assignment``; who may give which role is
decided in ``core.permissions``; the changes are made in ``access.services``.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

#: The roles that invitations and requests give (a national administrator's is
#: given in the admin or with `unikom roles`).
GRANTABLE_ROLES = [
    (Role.COORDINATOR.value, Role.COORDINATOR.label),
    (Role.ORGANISATION_EDITOR.value, Role.ORGANISATION_EDITOR.label),
]

SCOPE_FITS_ROLE = Q(
    role=Role.COORDINATOR, partnership__isnull=False, organisation__isnull=True
) | Q(role=Role.ORGANISATION_EDITOR, partnership__isnull=True, organisation__isnull=False)


def token_digest(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class VerifiedEmail(models.Model):
    """The e-mail address a user has shown to be theirs (by a link sent there, or by
    accepting an invitation sent there). It counts while it is still the account's
    address: a changed address is unverified until verified again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="verified_email",
        verbose_name=_("user"),
    )
    email = models.EmailField(_("e-mail address"))
    verified_at = models.DateTimeField(_("verified"), default=timezone.now)

    class Meta:
        verbose_name = _("verified e-mail address")
        verbose_name_plural = _("verified e-mail addresses")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} <{self.email}>"


class GrantMixin(models.Model):
    """A role for one partnership (coordinator) or one organisation (editor)."""

    role = models.CharField(_("role"), max_length=30, choices=GRANTABLE_ROLES)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=SCOPE_FITS_ROLE,
                name="%(app_label)s_%(class)s_scope_fits_role",
                violation_error_message=_(
                    "A coordinator needs a partnership and an organisation editor an organisation."
                ),
            ),
        ]

    @property
    def scope(self):
        return self.partnership or self.organisation

    def assignment_fields(self) -> dict:
        return {
            "role": self.role,
            "partnership": self.partnership,
            "organisation": self.organisation,
        }


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(GrantMixin):
    """A role offered to an e-mail address by a single-use link that expires.

    Only the token's digest is stored; the link with the token itself exists
    only in the e-mail sent to the address.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("e-mail address"))
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta(GrantMixin.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} ({self.scope})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class AccessRequest(GrantMixin):
    """A signed-in user's request for a role, with their reason, until decided."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_requests",
        verbose_name=_("user"),
    )
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)

    class Meta(GrantMixin.Meta):
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created", "-pk"]
        constraints = [
            *GrantMixin.Meta.constraints,
            models.UniqueConstraint(
                fields=["user", "partnership"],
                condition=Q(status="pending", role=Role.COORDINATOR),
                name="%(app_label)s_%(class)s_one_pending_per_partnership",
                violation_error_message=_("You have already asked for this role."),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending", role=Role.ORGANISATION_EDITOR),
                name="%(app_label)s_%(class)s_one_pending_per_organisation",
                violation_error_message=_("You have already asked for this role."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.scope})"
