"""The portfolio: research projects, PhDs, theses and other academic activity.

An activity belongs to any number of partnerships, has organisations and people
in roles, and carries its *dual anchoring*: a professional owner (the service
or research milieu that does the work) and a strategic owner (the management
level that has committed to it), each an organisation at an anchoring level.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.dates import Years
from core.db import OrderingIndex
from core.models import History, LiveManager, LiveQuerySet, RecordModel, TimeStampedModel
from core.validators import no_direction_controls
from partnerships.choices import AnchoringLevel
from partnerships.models import Partnership
from search.text import fold

from .choices import ActivityStatus, ActivityType, OrganisationRole, PersonRole, ThesisLevel

SUMMARY_MAX_LENGTH = 10_000
ID_MAX_LENGTH = 12


def title_key(title: str) -> int:
    """A title as an import compares it (``search.text.fold``: the same words in any
    case), hashed into a signed 64-bit integer for an index. Equal keys are
    candidates: the folded titles themselves decide."""
    return folded_title_key(fold(title))


def folded_title_key(folded: str) -> int:
    """``title_key`` of a title already folded."""
    digest = hashlib.blake2b(folded.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


CRISTIN_URL = "https://app.cristin.no/projects/show.jsf?id={}"
NFR_URL = "https://prosjektbanken.forskningsradet.no/project/FORISS/{}"

digits_only = r"^[0-9]+$"


class ActivityQuerySet(LiveQuerySet):
    def for_list(self) -> ActivityQuerySet:
        """What a list row shows, in a fixed number of queries."""
        return self.select_related("professional_owner", "strategic_owner").prefetch_related(
            "partnerships", "themes"
        )

    def with_roles(self, user) -> ActivityQuerySet:
        """What an activity's page and its API record show: owners, partnerships,
        themes, and the organisations and the people (those ``user`` may see) in
        their roles — five queries for any number of activities."""
        return self.select_related("professional_owner", "strategic_owner").prefetch_related(
            models.Prefetch("partnerships", queryset=Partnership.objects.order_by("name")),
            "themes",
            models.Prefetch(
                "organisation_roles",
                queryset=ActivityOrganisation.objects.select_related("organisation").order_by(
                    "role", "organisation__name", "pk"
                ),
            ),
            models.Prefetch(
                "person_roles",
                queryset=permissions.visible_through(user, ActivityPerson.objects.all(), "person")
                .select_related("person")
                .order_by("role", "person__name", "pk"),
            ),
        )

    def in_portfolios(self, partnership_ids) -> ActivityQuerySet:
        """Activities in the portfolio of any of these partnerships, each once.

        Read from the partnership side (the link table by partnership, then the
        activities by key): naming hundreds of partnerships on the join made
        SQLite probe each of them for every activity (12.6 s against 0.4 s at
        national scale).
        """
        links = Activity.partnerships.through.objects.filter(partnership_id__in=partnership_ids)
        return self.filter(pk__in=links.values("activity_id"))

    def in_year(self, year: int) -> ActivityQuerySet:
        """Activities running at some point in ``year``.

        An activity without a start has run since before anyone recorded it,
        one without an end is still running; one with neither date is left out.
        """
        first, last = date(year, 1, 1), date(year, 12, 31)
        return self.filter(
            Q(start_date__isnull=False) | Q(end_date__isnull=False),
            Q(start_date__isnull=True) | Q(start_date__lte=last),
            Q(end_date__isnull=True) | Q(end_date__gte=first),
        )

    def involving(self, organisation) -> ActivityQuerySet:
        """Activities where the organisation has a role or is an owner."""
        return self.filter(
            Q(
                pk__in=ActivityOrganisation.objects.filter(organisation=organisation).values(
                    "activity"
                )
            )
            | Q(professional_owner=organisation)
            | Q(strategic_owner=organisation)
        )

    def counts_by_type(self) -> dict[str, int]:
        """Number of activities of each type, counted by the database (one query)."""
        rows = (
            self.order_by()
            .values("activity_type")
            .annotate(n=Count("pk", distinct=True))
            .values_list("activity_type", "n")
        )
        return dict(rows)


class ActivityManager(LiveManager.from_queryset(ActivityQuerySet)):
    pass


class Activity(RecordModel):
    """One item of the portfolio: a project, a PhD, a thesis, a course, a network...

    ``professional_owner`` and ``strategic_owner`` are the dual anchoring the
    partnerships ask for: the activity must be owned both where the work is
    done and where priorities are set.
    """

    #: Start and end dates fall in these years.
    DATE_YEARS = Years(1950, 2100)

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250, validators=[no_direction_controls])
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    activity_type = models.CharField(_("type"), max_length=30, choices=ActivityType.choices)
    thesis_level = models.CharField(
        _("thesis level"),
        max_length=10,
        choices=ThesisLevel.choices,
        blank=True,
        help_text=_("For student theses only."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.ONGOING
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    partnerships = models.ManyToManyField(
        "partnerships.Partnership",
        verbose_name=_("partnerships"),
        related_name="activities",
        blank=True,
    )
    themes = models.ManyToManyField(
        "partnerships.Theme",
        verbose_name=_("themes"),
        related_name="activities",
        blank=True,
    )
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    funding_amount = models.DecimalField(
        _("funding amount (NOK)"),
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("The amount cannot be negative."))],
        help_text=_("In whole kroner, e.g. 2500000."),
    )
    cristin_project_id = models.CharField(
        _("NVA/Cristin project id"),
        max_length=ID_MAX_LENGTH,
        blank=True,
        validators=[
            RegexValidator(digits_only, _("A Cristin project id is digits only, e.g. 2571234."))
        ],
        help_text=_("Digits only, or paste the project's address in Cristin."),
    )
    #: ``title_key(title)``, kept by save() and the bulk writers: what an import
    #: looks a file's titles up by, instead of reading every title.
    title_key = models.BigIntegerField(_("title key"), default=0, editable=False)
    nfr_project_number = models.CharField(
        _("Research Council project number"),
        max_length=ID_MAX_LENGTH,
        blank=True,
        validators=[
            RegexValidator(
                digits_only,
                _("A Research Council project number is digits only, e.g. 321045."),
            )
        ],
        help_text=_(
            "Forskningsrådet's project number; digits only, or paste the address in Prosjektbanken."
        ),
    )
    professional_owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="professionally_owned_activities",
        verbose_name=_("professional owner"),
        help_text=_(
            "The service or academic milieu that does the work and owns it professionally."
        ),
    )
    professional_owner_level = models.CharField(
        _("professional owner's level"),
        max_length=30,
        choices=AnchoringLevel.choices,
        blank=True,
    )
    strategic_owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategically_owned_activities",
        verbose_name=_("strategic owner"),
        help_text=_("The management that has committed to the activity and owns it strategically."),
    )
    strategic_owner_level = models.CharField(
        _("strategic owner's level"),
        max_length=30,
        choices=AnchoringLevel.choices,
        blank=True,
    )
    is_public = models.BooleanField(
        _("visible to everyone"),
        default=True,
        help_text=_("Untick to show the activity to signed-in users only."),
    )

    # core.permissions: coordinators of its partnerships, and editors of the
    # organisations in its roles or owning it.
    scope_lookups = {
        "partnership": ["partnerships"],
        "organisation": [
            "organisation_roles__organisation",
            "professional_owner",
            "strategic_owner",
        ],
    }
    organisation_editors_may_edit = True

    # The change reason says in words how partnerships, themes and roles
    # changed (activities.forms.ActivityForm.change_reason); it may be long.
    history = History(
        excluded_fields=["created", "updated", "title_key"],
        history_change_reason_field=models.TextField(null=True),
    )
    objects = ActivityManager()
    all_objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = [F("start_date").desc(nulls_last=True), "title", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(funding_amount__isnull=True) | Q(funding_amount__gte=0),
                name="%(app_label)s_%(class)s_funding_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(cristin_project_id="") | Q(cristin_project_id__regex=digits_only),
                name="%(app_label)s_%(class)s_cristin_id_digits",
                violation_error_message=_("A Cristin project id is digits only, e.g. 2571234."),
            ),
            models.CheckConstraint(
                condition=Q(nfr_project_number="") | Q(nfr_project_number__regex=digits_only),
                name="%(app_label)s_%(class)s_nfr_number_digits",
                violation_error_message=_(
                    "A Research Council project number is digits only, e.g. 321045."
                ),
            ),
            models.CheckConstraint(
                condition=Q(activity_type=ActivityType.STUDENT_THESIS) | Q(thesis_level=""),
                name="%(app_label)s_%(class)s_thesis_level_only_for_theses",
                violation_error_message=_("Only a student thesis has a level."),
            ),
            models.CheckConstraint(
                condition=Q(professional_owner__isnull=False) | Q(professional_owner_level=""),
                name="%(app_label)s_%(class)s_professional_level_needs_owner",
                violation_error_message=_("Choose the professional owner for the level."),
            ),
            models.CheckConstraint(
                condition=Q(strategic_owner__isnull=False) | Q(strategic_owner_level=""),
                name="%(app_label)s_%(class)s_strategic_level_needs_owner",
                violation_error_message=_("Choose the strategic owner for the level."),
            ),
        ]
        # The public list (anonymous visitors, the API, exports) reads live public
        # activities in the list's order, with or without a type: these partial
        # indexes give the first page without sorting and the counts without
        # reading the table. The API pages by creation, newest first.
        indexes = [
            # Covers the counts: by type, and of one type and status, without the table.
            models.Index(
                fields=["activity_type", "status", "is_public", "deleted_at"],
                name="activity_counts_idx",
            ),
            OrderingIndex(
                F("start_date").desc(nulls_last=True),
                "title",
                "id",
                condition=Q(deleted_at__isnull=True, is_public=True),
                name="activity_public_order_idx",
            ),
            OrderingIndex(
                "activity_type",
                F("start_date").desc(nulls_last=True),
                "title",
                "id",
                condition=Q(deleted_at__isnull=True, is_public=True),
                name="activity_public_type_idx",
            ),
            models.Index(
                fields=["-created", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="activity_live_created_idx",
            ),
            models.Index(
                fields=["activity_type", "-created", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="activity_type_created_idx",
            ),
            # An import's duplicate checks look up the file's titles and project ids.
            models.Index(
                fields=["title_key"],
                condition=Q(deleted_at__isnull=True),
                name="activity_title_key_idx",
            ),
            models.Index(
                fields=["cristin_project_id"],
                condition=Q(deleted_at__isnull=True) & ~Q(cristin_project_id=""),
                name="activity_cristin_idx",
            ),
            models.Index(
                fields=["nfr_project_number"],
                condition=Q(deleted_at__isnull=True) & ~Q(nfr_project_number=""),
                name="activity_nfr_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The key follows the title whenever the title is written (a title left
        # deferred by ``only()`` is not).
        update_fields = kwargs.get("update_fields")
        if "title" in (self.__dict__ if update_fields is None else update_fields):
            self.title_key = title_key(self.title)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.public_id])

    @property
    def cristin_url(self) -> str:
        """The project's page in NVA/Cristin, when its id is known."""
        return CRISTIN_URL.format(self.cristin_project_id) if self.cristin_project_id else ""

    @property
    def nfr_url(self) -> str:
        """The project's page in the Research Council's Prosjektbanken."""
        return NFR_URL.format(self.nfr_project_number) if self.nfr_project_number else ""

    @property
    def type_label(self) -> str:
        """The type, with the level for student theses ("Student thesis (master)")."""
        label = self.get_activity_type_display()
        if self.thesis_level:
            return f"{label} ({self.get_thesis_level_display().lower()})"
        return str(label)

    @property
    def dually_anchored(self) -> bool:
        return bool(self.professional_owner_id and self.strategic_owner_id)


class ActivityOrganisation(TimeStampedModel):
    """An organisation's role in an activity: owner, partner or funder."""

    # No index of its own: the unique role constraint leads with the activity.
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="organisation_roles",
        verbose_name=_("activity"),
        db_index=False,
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="activity_roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole.choices)

    history = History(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("organisation in an activity")
        verbose_name_plural = _("organisations in activities")
        ordering = ["activity", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation", "role"],
                name="%(app_label)s_%(class)s_unique_role",
                violation_error_message=_("This organisation already has this role here."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()


class ActivityPerson(TimeStampedModel):
    """A person's role in an activity: project leader, supervisor, student, contact."""

    # No index of its own: the unique role constraint leads with the activity.
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="person_roles",
        verbose_name=_("activity"),
        db_index=False,
    )
    person = models.ForeignKey(
        "organisations.Person",
        on_delete=models.PROTECT,
        related_name="activity_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)

    history = History(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("person in an activity")
        verbose_name_plural = _("people in activities")
        ordering = ["activity", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person", "role"],
                name="%(app_label)s_%(class)s_unique_role",
                violation_error_message=_("This person already has this role here."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()
