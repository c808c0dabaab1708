from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT = "district", _("City district")
    COUNTY = "county", _("County")
    UNIVERSITY = "university", _("University")
    UNIVERSITY_COLLEGE = "university_college", _("University college")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    HEALTH_TRUST = "health_trust", _("Hospital or health trust")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


#: The kinds that count as knowledge institutions in the national overview.
KNOWLEDGE_KINDS = (
    OrganisationKind.UNIVERSITY,
    OrganisationKind.UNIVERSITY_COLLEGE,
    OrganisationKind.RESEARCH_INSTITUTE,
    OrganisationKind.HEALTH_TRUST,
)


class RecordSource(models.TextChoices):
    """Where an organisation record came from."""

    REFDATA = "refdata", _("Reference data (SSB, Kartverket, institution register)")
    DATASET = "dataset", _("Bundled partnership dataset")
    MANUAL = "manual", _("Entered by hand")
