"""Who may edit what: role assignments of user accounts.

The rules that read these assignments live in one place, core.permissions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.models import History


class Role(models.TextChoices):
    NATIONAL_ADMIN = permissions.Role.NATIONAL_ADMIN, _("National administrator")
    COORDINATOR = permissions.Role.COORDINATOR, _("Partnership coordinator")
    ORGANISATION_EDITOR = permissions.Role.ORGANISATION_EDITOR, _("Organisation editor")


class Assignment(models.Model):
    """A role given to a user: for one partnership, one organisation, or nationally.

    Any signed-in user without an assignment is a reader.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("organisation"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = History()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.NATIONAL_ADMIN, partnership__isnull=True, organisation__isnull=True)
                    | Q(role=Role.COORDINATOR, partnership__isnull=False, organisation__isnull=True)
                    | Q(
                        role=Role.ORGANISATION_EDITOR,
                        partnership__isnull=True,
                        organisation__isnull=False,
                    )
                ),
                name="%(app_label)s_%(class)s_scope_fits_role",
                violation_error_message=_(
                    "A coordinator needs a partnership, an organisation editor an organisation, "
                    "and a national administrator neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "partnership"],
                condition=Q(role=Role.COORDINATOR),
                name="%(app_label)s_%(class)s_unique_coordinator",
                violation_error_message=_("The user already coordinates this partnership."),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(role=Role.ORGANISATION_EDITOR),
                name="%(app_label)s_%(class)s_unique_editor",
                violation_error_message=_("The user already edits for this organisation."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role=Role.NATIONAL_ADMIN),
                name="%(app_label)s_%(class)s_unique_admin",
                violation_error_message=_("The user is already a national administrator."),
            ),
        ]

    def __str__(self) -> str:
        target = self.partnership or self.organisation
        return f"{self.user} – {self.get_role_display()}" + (f" ({target})" if target else "")
