"""Research and knowledge needs and thesis topics posted by municipalities."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import Years, local_today
from core.models import History, LiveManager, LiveQuerySet, RecordModel
from core.validators import no_direction_controls

from .choices import NeedStatus, SuitedFor

DESCRIPTION_MAX_LENGTH = 20_000
#: An offer of help is a short message: a first contact, not an application.
OFFER_MAX_LENGTH = 2_000


def validate_suited_for(value) -> None:
    """A list of distinct known ``SuitedFor`` values."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give a list of kinds of work."), code="invalid")
    unknown = sorted(set(value) - set(SuitedFor.values))
    if unknown:
        raise ValidationError(
            _("Unknown kind of work: %(values)s."),
            code="invalid_choice",
            params={"values": ", ".join(unknown)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each kind of work is listed once."), code="duplicate")


class NeedQuerySet(LiveQuerySet):
    def open(self) -> NeedQuerySet:
        return self.filter(status=NeedStatus.OPEN)

    def deadline_passed(self) -> NeedQuerySet:
        return self.filter(deadline__lt=local_today())

    def deadline_not_passed(self) -> NeedQuerySet:
        return self.filter(Q(deadline__isnull=True) | Q(deadline__gte=local_today()))

    def suited_for(self, value: str) -> NeedQuerySet:
        """Needs whose ``suited_for`` list holds ``value``.

        The JSON text contains each value in quotes (``["thesis", "phd"]``), and
        no value is part of another, so a contains lookup on the quoted value is
        exact and runs the same on SQLite and PostgreSQL.
        """
        return self.filter(suited_for__icontains=f'"{value}"')

    def for_list(self) -> NeedQuerySet:
        return self.select_related("organisation", "partnership", "service_area")


class NeedManager(LiveManager.from_queryset(NeedQuerySet)):
    pass


class Need(RecordModel):
    """A research or knowledge need, or a thesis topic, that an organisation posts.

    Usually a municipality posts it, alone or for its partnership; academic
    staff and students answer it. The status moves from open through
    dialogue to matched and closed (``needs.choices.TRANSITIONS``); the
    activities a need led to are linked in ``led_to``.
    """

    #: The deadline falls in these years.
    DATE_YEARS = Years(1950, 2100)

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250, validators=[no_direction_controls])
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("What is needed, why, and what the result would be used for."),
    )
    service_area = models.ForeignKey(
        "partnerships.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("service area"),
    )
    # A JSON list of SuitedFor values rather than a many-to-many table: the
    # vocabulary is closed and owned by the code (TextChoices, translated with
    # it), so a reference table would only add rows to load and migrate and a
    # join to every list; the list is one column, so the history shows its
    # changes like any other field (simple-history would keep many-to-many
    # changes apart); and filtering by one value is a portable lookup
    # (NeedQuerySet.suited_for). validate_suited_for keeps it to known values.
    suited_for = models.JSONField(
        _("suited for"),
        default=list,
        validators=[validate_suited_for],
        help_text=_("The kinds of work that could answer the need."),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("posted by"),
        help_text=_("The municipality or other organisation that has the need."),
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("partnership"),
    )
    contact = models.ForeignKey(
        "organisations.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("contact person"),
    )
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("The last day to get in touch. Leave empty when there is none."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    led_to = models.ManyToManyField(
        "activities.Activity",
        blank=True,
        related_name="needs",
        verbose_name=_("led to"),
        help_text=_("The activities that answer the need."),
    )
    is_public = models.BooleanField(
        _("visible to everyone"),
        default=True,
        help_text=_("When unticked, only signed-in users see the need."),
    )

    # core.permissions: coordinators of the partnership, editors of the organisation.
    scope_lookups = {"partnership": ["partnership"], "organisation": ["organisation"]}
    organisation_editors_may_edit = True

    history = History(excluded_fields=["created", "updated"])
    objects = NeedManager()
    all_objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = [F("deadline").asc(nulls_last=True), "-created", "title"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NeedStatus.values),
                name="%(app_label)s_%(class)s_status_known",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="%(app_label)s_%(class)s_has_title",
                violation_error_message=_("A need needs a title."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="need_status_deadline_idx"),
            # Counts by status without reading the table; the API pages by creation.
            models.Index(fields=["status", "is_public", "deleted_at"], name="need_counts_idx"),
            models.Index(
                fields=["-created", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="need_live_created_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", args=[self.public_id])

    @property
    def suited_for_labels(self) -> list[str]:
        labels = dict(SuitedFor.choices)
        return [str(labels.get(v, v)) for v in self.suited_for or []]

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.deadline < local_today()


class NeedResponse(models.Model):
    """An offer of help: a signed-in user with a verified address wrote to the
    need's contact (or its partnership's coordinators) through the need's page.

    The message is what was sent; the addresses are not kept (the sender's is the
    account's, the recipients' are looked up when sending). Those who may edit
    the need see how many offers came; the sender sees theirs on the own-data page
    (``needs.personal``), and erasure empties the message (the offer stays counted).
    """

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="responses", verbose_name=_("need")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="need_responses",
        verbose_name=_("user"),
    )
    message = models.TextField(_("message"), max_length=OFFER_MAX_LENGTH, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("offer of help")
        verbose_name_plural = _("offers of help")
        ordering = ["-created", "-id"]
        indexes = [
            # The rate limit counts a user's offers of the last hour.
            models.Index(fields=["user", "created"], name="needresponse_user_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.need} ({self.created:%Y-%m-%d})"
