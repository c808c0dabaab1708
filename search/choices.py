from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PARTNERSHIP = "partnership", _("Partnership")
    ORGANISATION = "organisation", _("Organisation")
    ACTIVITY = "activity", _("Activity")
    NEED = "need", _("Need")
    EVENT = "event", _("Event")
    PERSON = "person", _("Person")


class Facet(models.TextChoices):
    KIND = "kind", _("Type")
    THEME = "theme", _("Theme")
    COUNTY = "county", _("County")
    PARTNERSHIP = "partnership", _("Partnership")
    STATUS = "status", _("Status")
    YEAR = "year", _("Year")
