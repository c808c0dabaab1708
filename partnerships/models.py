"""Partnerships and what describes them: members, agreements, anchoring, bodies,
plans, themes, reported results and sources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import When, local_today, when_from_fields
from core.models import History, LiveManager, LiveQuerySet, RecordModel, TimeStampedModel
from core.validators import no_direction_controls
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind

from .choices import (
    AgreementKind,
    AnchoringLevel,
    BodyKind,
    Evidence,
    Initiative,
    Maturity,
    PartnershipKind,
    PartnershipStatus,
    PlanKind,
    ResultType,
    ResultUnit,
    Role,
    StatementTopic,
    count_with_unit,
    initiative_group,
    initiative_side,
)

YEAR_HELP = _("Leave empty when the year is not known.")


def year_field(verbose_name: str, **kwargs) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, null=True, blank=True, help_text=YEAR_HELP, **kwargs
    )


class Theme(models.Model):
    """A service area or field that partnerships work on (health and care, ...)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)

    history = History()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipQuerySet(LiveQuerySet):
    def as_choices(self) -> PartnershipQuerySet:
        """By name, with only what a choice list shows (name, and slug for its value)."""
        return self.order_by("name").only("pk", "slug", "name")

    def with_counts(self) -> PartnershipQuerySet:
        """Annotate member counts so lists need no query per row."""
        current = Q(memberships__valid_to__isnull=True)
        return self.annotate(
            municipality_count=models.Count(
                "memberships__organisation",
                filter=current & Q(memberships__organisation__kind=OrganisationKind.MUNICIPALITY),
                distinct=True,
            ),
            knowledge_institution_count=models.Count(
                "memberships__organisation",
                filter=current & Q(memberships__organisation__kind__in=KNOWLEDGE_KINDS),
                distinct=True,
            ),
            member_population=models.Sum(
                "memberships__organisation__population",
                filter=current & Q(memberships__organisation__kind=OrganisationKind.MUNICIPALITY),
            ),
        )

    def in_county(self, county) -> PartnershipQuerySet:
        """Partnerships with a current member in ``county`` (an organisation of kind
        county, or its id): one of its municipalities, or the county itself.

        The one definition the partnership list, the gap list and the report share.
        """
        members = Membership.objects.current().filter(
            Q(organisation__parent=county) | Q(organisation=county)
        )
        return self.filter(pk__in=members.values("partnership"))

    def with_lead(self) -> PartnershipQuerySet:
        """Prefetch the current lead (one query for all rows); see ``Partnership.lead``."""
        return self.prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.current()
                .filter(role=Role.LEAD)
                .select_related("organisation"),
                to_attr="lead_memberships",
            )
        )


class PartnershipManager(LiveManager.from_queryset(PartnershipQuerySet)):
    pass


class Partnership(RecordModel):
    """A long-term, formal collaboration between municipalities and academia."""

    # core.permissions: a coordinator changes their own partnership.
    scope_lookups = {"partnership": ["pk"]}

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[no_direction_controls])
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind.choices)
    maturity = models.CharField(
        _("stated maturity"),
        max_length=3,
        choices=Maturity.choices,
        blank=True,
        help_text=_("Only where the partnership or the compilation states it."),
    )
    initiative = models.CharField(
        _("initiative"), max_length=40, choices=Initiative.choices, blank=True
    )
    initiative_note = models.TextField(_("about the initiative"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )
    status_as_of = year_field(
        _("status last confirmed (year)"),
    )
    facts_as_of = year_field(
        _("facts as of (year)"),
    )
    # Roots (the first collaboration) and the formal agreement are kept apart.
    # Each is a year or a period as the sources give it: the first and last
    # year it covers, and the wording when it is not a plain year
    # (core.dates.parse_when).
    roots_year = year_field(_("roots: first year"))
    roots_year_to = year_field(_("roots: last year of the period"))
    roots_text = models.CharField(_("roots as the source gives them"), max_length=80, blank=True)
    roots_note = models.TextField(_("about the roots"), blank=True)
    agreement_year = year_field(_("formal agreement: first year"))
    agreement_year_to = year_field(_("formal agreement: last year of the period"))
    agreement_text = models.CharField(
        _("formal agreement as the source gives it"), max_length=80, blank=True
    )
    agreement_note = models.TextField(_("about the agreement"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    focus_areas = models.JSONField(
        _("focus areas"),
        default=list,
        blank=True,
        help_text=_("The partnership's own list of what it works on."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="partnerships", blank=True
    )
    stated_municipality_count = models.PositiveSmallIntegerField(
        _("stated number of municipalities"),
        null=True,
        blank=True,
        help_text=_("The number a source gives, when it names fewer municipalities."),
    )
    member_note = models.TextField(_("about the members"), blank=True)
    reported_population = models.PositiveIntegerField(
        _("reported population"), null=True, blank=True
    )
    population_note = models.TextField(_("about the size"), blank=True)
    coordinator_fte = models.DecimalField(
        _("coordinator capacity (FTE)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    coordinator_note = models.TextField(_("about the coordination"), blank=True)
    funding_note = models.TextField(_("funding"), blank=True)
    organisation_note = models.TextField(_("about the organisation"), blank=True)
    lead_note = models.TextField(_("about the lead"), blank=True)
    source_url = models.URLField(_("main source"), max_length=500)

    history = History(excluded_fields=["created", "updated"])
    objects = PartnershipManager()
    all_objects = PartnershipQuerySet.as_manager()

    class Meta:
        base_manager_name = "all_objects"
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(roots_year__isnull=True)
                | Q(agreement_year__isnull=True)
                | Q(roots_year__lte=models.F("agreement_year")),
                name="%(app_label)s_%(class)s_roots_not_after_agreement",
                violation_error_message=_("The roots year cannot be after the agreement year."),
            ),
            models.CheckConstraint(
                condition=Q(roots_year_to__isnull=True)
                | Q(roots_year__isnull=False, roots_year__lte=models.F("roots_year_to")),
                name="%(app_label)s_%(class)s_roots_period_in_order",
                violation_error_message=_("The roots period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(agreement_year_to__isnull=True)
                | Q(
                    agreement_year__isnull=False, agreement_year__lte=models.F("agreement_year_to")
                ),
                name="%(app_label)s_%(class)s_agreement_period_in_order",
                violation_error_message=_("The agreement period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(coordinator_fte__isnull=True) | Q(coordinator_fte__gte=0),
                name="%(app_label)s_%(class)s_fte_not_negative",
                violation_error_message=_("Coordinator capacity cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.slug])

    @property
    def initiative_side(self) -> str:
        return initiative_side(self.initiative)

    @property
    def initiative_group(self) -> str:
        return initiative_group(self.initiative)

    def stated_beyond_named(self, named: int) -> int | None:
        """The number of municipalities the sources state, when they name fewer
        (``named``); None when every stated member is named or none is stated."""
        stated = self.stated_municipality_count
        return stated if stated and stated > named else None

    @property
    def roots(self) -> When | None:
        """When the first collaboration began, as the sources give it."""
        return when_from_fields(self.roots_year, self.roots_year_to, self.roots_text)

    @property
    def agreement(self) -> When | None:
        """When the formal agreement came, as the sources give it."""
        return when_from_fields(self.agreement_year, self.agreement_year_to, self.agreement_text)

    @property
    def roots_display(self) -> str:
        when = self.roots
        return when.display() if when else ""

    @property
    def agreement_display(self) -> str:
        when = self.agreement
        return when.display() if when else ""

    def status_confirmed(self, today: date | None = None) -> bool:
        """Whether a source supports the status for this year (else "last confirmed")."""
        year = (today or local_today()).year
        return self.status_as_of is not None and self.status_as_of >= year

    def status_summary(self, today: date | None = None) -> str:
        """The status as far as the sources support it today.

        "Active" only where a source confirms it for this year; otherwise "last
        confirmed <year>". A partnership whose every agreement has run out is
        never "active". Reads ``agreements`` (prefetch them for lists).
        """
        today = today or local_today()
        agreements = list(self.agreements.all())
        if (
            self.status == PartnershipStatus.ACTIVE
            and agreements
            and all(a.expired(today) for a in agreements)
        ):
            last = max(a.valid_to_year for a in agreements)
            return _("Agreement ran out in %(year)s; no later agreement recorded") % {"year": last}
        label = self.get_status_display()
        if self.status_confirmed(today) or self.status == PartnershipStatus.ENDED:
            return str(label)
        if self.status_as_of:
            return _("%(status)s, last confirmed %(year)s") % {
                "status": label,
                "year": self.status_as_of,
            }
        return _("%(status)s (not confirmed by a dated source)") % {"status": label}

    @property
    def lead(self):
        """The current lead municipality, or None (prefetched by ``with_lead()``)."""
        leads = getattr(self, "lead_memberships", None)
        if leads is None:
            leads = list(self.memberships.current().filter(role=Role.LEAD))
        return leads[0].organisation if leads else None


class MembershipQuerySet(models.QuerySet):
    def current(self) -> MembershipQuerySet:
        return self.filter(valid_to__isnull=True)


class Membership(TimeStampedModel):
    """An organisation's role in a partnership over a period.

    Memberships change over time: a row with ``valid_to`` set is history and
    stays visible as such.
    """

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    valid_from = models.DateField(_("member from"), null=True, blank=True)
    valid_to = models.DateField(_("member until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    hosts_campus = models.BooleanField(
        _("an academic partner has a campus here"),
        null=True,
        blank=True,
        help_text=_(
            "For member municipalities: whether a campus of an academic partner lies "
            "inside the municipality. Empty when the sources do not say."
        ),
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    history = History(excluded_fields=["created", "updated"])
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["partnership", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(role=Role.LEAD, valid_to__isnull=True),
                name="%(app_label)s_%(class)s_one_current_lead",
                violation_error_message=_(
                    "A partnership has at most one lead municipality at a time."
                ),
            ),
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(valid_to__isnull=True),
                name="%(app_label)s_%(class)s_one_current_row_per_organisation",
                violation_error_message=_(
                    "This organisation is already a member of the partnership."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.partnership} ({self.get_role_display()})"

    def clean(self) -> None:
        super().clean()
        org = getattr(self, "organisation", None)
        if org is None:
            return
        if self.role == Role.LEAD and org.kind != OrganisationKind.MUNICIPALITY:
            raise ValidationError({"role": _("Only a municipality can lead a partnership.")})
        if self.role == Role.MEMBER_MUNICIPALITY and org.kind != OrganisationKind.MUNICIPALITY:
            raise ValidationError({"role": _("A member municipality must be a municipality.")})


class Agreement(TimeStampedModel):
    """A signed agreement, joint strategy or pilot that frames a partnership."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=250, validators=[no_direction_controls])
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    signed_year = year_field(_("signed (year)"))
    signed_date = models.DateField(_("signed (date)"), null=True, blank=True)
    valid_from_year = year_field(_("valid from (year)"))
    valid_to_year = year_field(_("valid to (year)"))
    signed_by = models.CharField(_("signed or adopted by"), max_length=250, blank=True)
    note = models.TextField(_("note"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    history = History(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["partnership", "signed_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from_year__isnull=True)
                | Q(valid_to_year__isnull=True)
                | Q(valid_from_year__lte=models.F("valid_to_year")),
                name="%(app_label)s_%(class)s_period_in_order",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def expired(self, today: date | None = None) -> bool:
        """Whether the agreement's last valid year has passed."""
        year = (today or local_today()).year
        return self.valid_to_year is not None and self.valid_to_year < year

    @property
    def period_display(self) -> str:
        if self.valid_from_year and self.valid_to_year:
            return f"{self.valid_from_year}–{self.valid_to_year}"
        if self.valid_from_year:
            return _("from %(year)s") % {"year": self.valid_from_year}
        if self.valid_to_year:
            return _("until %(year)s") % {"year": self.valid_to_year}
        return ""


class Anchoring(TimeStampedModel):
    """Evidence that a party backs the partnership at a given level."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="anchorings",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anchorings",
        verbose_name=_("party"),
    )
    party_label = models.CharField(
        _("party (as described)"),
        max_length=200,
        blank=True,
        help_text=_("For a group of parties, such as 'all member municipalities'."),
    )
    level = models.CharField(_("level"), max_length=30, choices=AnchoringLevel.choices)
    absent = models.BooleanField(
        _("stated as absent"),
        default=False,
        help_text=_(
            "Tick when the sources state that this party has NOT anchored the partnership "
            "at this level (as opposed to it simply not being recorded)."
        ),
    )
    evidence = models.CharField(_("evidence"), max_length=30, choices=Evidence.choices)
    body = models.CharField(_("body"), max_length=200, blank=True)
    year = year_field(_("year"))
    description = models.TextField(_("description"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    history = History(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("anchoring")
        verbose_name_plural = _("anchoring")
        ordering = ["partnership", "level", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(party_label=""),
                name="%(app_label)s_%(class)s_has_party",
                violation_error_message=_("Name the party: an organisation or a description."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.get_level_display()}"

    @property
    def party(self) -> str:
        return self.party_label or str(self.organisation)


class Body(TimeStampedModel):
    """A steering group, professional group, municipal group or secretariat."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="bodies",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=200, validators=[no_direction_controls])
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    composition = models.TextField(_("composition"), blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(
        _("meetings per year"), null=True, blank=True
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    history = History(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["partnership", "id"]

    def __str__(self) -> str:
        return self.name


class Plan(TimeStampedModel):
    """An adopted plan or strategy for research, education and innovation."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("organisation"),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(
        _("kind of document"),
        max_length=20,
        choices=PlanKind.choices,
        default=PlanKind.PLAN,
        help_text=_(
            "A plan for research, education and innovation, or a strategy, political case "
            "or agreement that supports one."
        ),
    )
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)
    politically_adopted = models.BooleanField(
        _("adopted by a political body"),
        null=True,
        blank=True,
        help_text=_("Empty when the sources do not say."),
    )
    year = year_field(_("year adopted"))
    note = models.TextField(_("note"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    history = History(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class ResearchBudget(TimeStampedModel):
    """How much of a municipality's operating budget one year set aside for research.

    The evidence for the KSF criterion "a share of the operating budget set
    aside for research funding" (insights.rules.motor_assessments).
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="research_budgets",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    operating_budget_nok = models.DecimalField(
        _("operating budget (NOK)"),
        max_digits=15,
        decimal_places=0,
        validators=[MinValueValidator(0, _("The amount cannot be negative."))],
        help_text=_("The municipality's total operating budget that year, in whole kroner."),
    )
    research_amount_nok = models.DecimalField(
        _("set aside for research (NOK)"),
        max_digits=15,
        decimal_places=0,
        validators=[MinValueValidator(0, _("The amount cannot be negative."))],
        help_text=_("The amount set aside for research funding, in whole kroner; 0 for none."),
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = History(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("research budget")
        verbose_name_plural = _("research budgets")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=_(
                    "This municipality already has a research budget for that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(operating_budget_nok__gte=0) & Q(research_amount_nok__gte=0),
                name="%(app_label)s_%(class)s_amounts_not_negative",
                violation_error_message=_("The amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(research_amount_nok__lte=models.F("operating_budget_nok")),
                name="%(app_label)s_%(class)s_research_within_budget",
                violation_error_message=_(
                    "The amount for research cannot exceed the operating budget."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("insights:motor_municipalities") + f"#org-{self.organisation_id}"

    @property
    def share(self) -> Decimal | None:
        """The research amount as a share (0–1) of the operating budget; None without one."""
        if not self.operating_budget_nok:
            return None
        return Decimal(self.research_amount_nok) / Decimal(self.operating_budget_nok)


class ReportedResult(TimeStampedModel):
    """A result a partnership has reported (as opposed to one counted from data)."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="reported_results",
        verbose_name=_("partnership"),
    )
    result_type = models.CharField(_("type"), max_length=30, choices=ResultType.choices)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    unit = models.CharField(
        _("unit"),
        max_length=30,
        choices=ResultUnit.choices,
        blank=True,
        help_text=_("What the count counts. Required with a count."),
    )
    unit_note = models.CharField(_("about the unit"), max_length=250, blank=True)
    year = year_field(_("year"))
    description = models.TextField(_("description"))
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    history = History(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("reported result")
        verbose_name_plural = _("reported results")
        ordering = ["partnership", "result_type", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__isnull=True) | ~Q(unit=""),
                name="%(app_label)s_%(class)s_count_has_unit",
                violation_error_message=_("Say what the count counts: choose a unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_result_type_display()}: {self.description[:60]}"

    @property
    def count_display(self) -> str:
        """The count with what it counts ("123 knowledge needs submitted"), or ""."""
        if self.count is None:
            return ""
        return count_with_unit(self.unit, self.count)


class Statement(TimeStampedModel):
    """A finding a source states in words, kept with its citation.

    The compilation says things no field holds, such as which municipality is
    a motor municipality, or that a partnership avoids the term. The analyses
    read these as evidence and show the citation beside the verdict.
    """

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("about"),
    )
    topic = models.CharField(_("topic"), max_length=30, choices=StatementTopic.choices)
    text = models.TextField(_("what the source says (in our words)"))
    year = year_field(_("year"))
    source_url = models.URLField(_("source URL"), max_length=500)

    history = History(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("sourced statement")
        verbose_name_plural = _("sourced statements")
        ordering = ["partnership", "topic", "id"]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.text[:60]}"


class Source(models.Model):
    """A web page that a partnership's facts were taken from."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("partnership"),
    )
    url = models.URLField(_("URL"), max_length=500)
    title = models.CharField(_("title"), max_length=250, blank=True)

    history = History()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["partnership", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "url"],
                name="%(app_label)s_%(class)s_unique_url",
                violation_error_message=_("This source is already listed."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url
