"""Organisations: municipalities, counties, districts and knowledge institutions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import Years, local_today
from core.models import History, LiveManager, LiveQuerySet, RecordModel, TimeStampedModel
from core.validators import no_direction_controls
from partnerships.models import Membership

from .choices import KNOWLEDGE_KINDS, OrganisationKind, RecordSource


class OrganisationQuerySet(models.QuerySet):
    def as_choices(self) -> OrganisationQuerySet:
        """By name, with only what a choice list shows (name, and slug for its value)."""
        return self.order_by("name").only("pk", "slug", "name")

    def municipalities(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.MUNICIPALITY)

    def counties(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.COUNTY)

    def knowledge_institutions(self) -> OrganisationQuerySet:
        return self.filter(kind__in=KNOWLEDGE_KINDS)

    def in_partnerships(self) -> OrganisationQuerySet:
        """Organisations with a current membership in some partnership."""
        return self.filter(pk__in=Membership.objects.current().values("organisation"))

    def get_by_key(self, key: str) -> Organisation:
        """Look an organisation up by slug or, for four digits, kommunenummer."""
        if len(key) == 4 and key.isdigit():
            return self.get(municipality_number=key)
        return self.get(slug=key)


class Organisation(TimeStampedModel):
    """A party to partnerships: a municipality, county, district or institution.

    Municipalities are identified by their four-digit kommunenummer, counties
    by their two-digit fylkesnummer, Oslo districts by their six-digit
    bydelsnummer, and institutions by organisation number, ROR id or DBH code
    where known. ``parent`` links a district to its municipality and a
    municipality to its county.
    """

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[no_direction_controls])
    official_name = models.CharField(
        _("official name"),
        max_length=250,
        blank=True,
        help_text=_(
            "The full official form, with Sámi and Kven parallel names where there are any."
        ),
    )
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    municipality_number = models.CharField(
        _("municipality number"),
        max_length=4,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Kommunenummer: four digits (SSB KLASS 131)."),
    )
    county_number = models.CharField(
        _("county number"),
        max_length=2,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Fylkesnummer: two digits, for counties only."),
    )
    district_number = models.CharField(
        _("district number"),
        max_length=6,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Bydelsnummer: six digits (SSB KLASS 103)."),
    )
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Nine digits, from the Central Coordinating Register for Legal Entities."),
    )
    ror_id = models.CharField(_("ROR id"), max_length=9, null=True, blank=True, unique=True)
    dbh_code = models.CharField(_("DBH code"), max_length=10, null=True, blank=True, unique=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(_("population as of"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    record_source = models.CharField(
        _("record source"),
        max_length=20,
        choices=RecordSource.choices,
        default=RecordSource.MANUAL,
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    history = History()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality_number__isnull=True)
                | Q(municipality_number__regex=r"^[0-9]{4}$"),
                name="%(app_label)s_%(class)s_municipality_number_four_digits",
                violation_error_message=_("A municipality number is exactly four digits."),
            ),
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.MUNICIPALITY, municipality_number__isnull=False)
                | (~Q(kind=OrganisationKind.MUNICIPALITY) & Q(municipality_number__isnull=True)),
                name="%(app_label)s_%(class)s_municipality_has_number",
                violation_error_message=_(
                    "A municipality needs a municipality number, and only municipalities have one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(county_number__isnull=True) | Q(county_number__regex=r"^[0-9]{2}$"),
                name="%(app_label)s_%(class)s_county_number_two_digits",
                violation_error_message=_("A county number is exactly two digits."),
            ),
            models.CheckConstraint(
                condition=Q(district_number__isnull=True) | Q(district_number__regex=r"^[0-9]{6}$"),
                name="%(app_label)s_%(class)s_district_number_six_digits",
                violation_error_message=_("A district number is exactly six digits."),
            ),
            models.CheckConstraint(
                condition=Q(org_number__isnull=True) | Q(org_number__regex=r"^[0-9]{9}$"),
                name="%(app_label)s_%(class)s_org_number_nine_digits",
                violation_error_message=_("An organisation number is exactly nine digits."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="org_kind_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.url_key])

    @property
    def url_key(self) -> str:
        """Municipalities are linked by kommunenummer, the rest by slug."""
        return self.municipality_number or self.slug

    @property
    def is_knowledge_institution(self) -> bool:
        return self.kind in KNOWLEDGE_KINDS

    @property
    def county(self) -> Organisation | None:
        if self.kind == OrganisationKind.MUNICIPALITY:
            return self.parent
        return None

    @property
    def ror_url(self) -> str:
        return f"https://ror.org/{self.ror_id}" if self.ror_id else ""


class Boundary(models.Model):
    """The outline of a municipality or county, projected for the SVG map.

    Derived at ``unikom refdata load`` time from the Kartverket boundaries so
    that pages draw the map from one query, without reading GeoJSON.
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="boundary",
        verbose_name=_("organisation"),
    )
    svg_path = models.TextField(_("SVG path"))
    centroid_x = models.FloatField(_("centroid x"))
    centroid_y = models.FloatField(_("centroid y"))

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)


class PersonQuerySet(LiveQuerySet):
    def public(self) -> PersonQuerySet:
        return self.filter(is_public=True)


class PersonManager(LiveManager.from_queryset(PersonQuerySet)):
    pass


class Person(RecordModel):
    """A researcher, student, coordinator or leader.

    Contact data is personal data: ``email`` and ``phone`` are shown only to
    signed-in users unless the person has made them public
    (``contact_public``). ``is_public`` decides whether anonymous visitors see
    the person at all.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, validators=[no_direction_controls])
    orcid = models.CharField(
        _("ORCID"),
        max_length=19,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Like 0000-0002-1825-0097."),
        validators=[
            RegexValidator(
                r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$",
                _("An ORCID has four groups of four digits, e.g. 0000-0002-1825-0097."),
            )
        ],
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_public = models.BooleanField(
        _("contact details are public"),
        default=False,
        help_text=_("Only with the person's consent."),
    )
    is_public = models.BooleanField(_("visible to everyone"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("user account"),
    )

    # core.permissions: editors of the person's organisations, and coordinators
    # of partnerships those organisations are members of.
    scope_lookups = {
        "partnership": ["affiliations__organisation__memberships__partnership"],
        "organisation": ["affiliations__organisation"],
    }
    organisation_editors_may_edit = True

    history = History(excluded_fields=["created", "updated"])
    objects = PersonManager()
    all_objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        base_manager_name = "all_objects"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:person_detail", args=[self.public_id])

    def contact_visible_to(self, user) -> bool:
        """Anonymous visitors see contact data only when the person made it public."""
        return self.contact_public or bool(user and user.is_authenticated)


def affiliation_is_current(valid_to, today=None) -> bool:
    """A post is current until the end of its last day; one without an end is current."""
    return valid_to is None or valid_to >= (today or local_today())


class AffiliationQuerySet(models.QuerySet):
    def current(self, today=None) -> AffiliationQuerySet:
        """The posts held today (see :func:`affiliation_is_current`)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today or local_today()))


class Affiliation(TimeStampedModel):
    """A person's post at an organisation over a period; dual posts are normal."""

    #: A post starts and ends in these years.
    DATE_YEARS = Years(1900, 2100)

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title or position"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)

    history = History(excluded_fields=["created", "updated"])
    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["person", "-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message=_("An affiliation cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation}"

    def is_current(self, today=None) -> bool:
        return affiliation_is_current(self.valid_to, today)
