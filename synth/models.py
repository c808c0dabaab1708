"""The record of a synthetic data set loaded by `unikom synth`.

Every synthetic row was written with an id the generator chose, in one
unbroken range per table starting above every id the table had used
(including those of deleted records, read from their history). ``ranges``
keeps those ranges; they are the marker by which the site knows what is
synthetic, shows the banner on every page, and by which `unikom synth
--remove` deletes exactly what was generated.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scale(models.TextChoices):
    SMALL = "small", _("small scale")
    NATIONAL = "national", _("national scale")
    X10 = "x10", _("ten times national scale")


class SyntheticLoad(models.Model):
    """One run of `unikom synth` whose records are in the database."""

    seed = models.BigIntegerField(_("seed"))
    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices)
    as_of = models.DateField(_("dates relative to"))
    created = models.DateTimeField(_("loaded"), auto_now_add=True)
    counts = models.JSONField(_("records per model"), default=dict)
    ranges = models.JSONField(
        _("id ranges per table"),
        default=dict,
        help_text=_("model label -> [first id, last id] of the rows written."),
    )
    rows = models.PositiveBigIntegerField(_("rows written"), default=0)
    seconds = models.FloatField(_("seconds taken"), default=0)

    class Meta:
        verbose_name = _("synthetic data load")
        verbose_name_plural = _("synthetic data loads")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.get_scale_display()} (seed {self.seed})"
