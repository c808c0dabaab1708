"""Sort choices speak the reader's language, whichever language made the filter."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.filtering import OrderingFilter


def test_descending_labels_follow_the_active_language():
    with translation.override("en"):  # the filter set's class made during an English request
        sort = OrderingFilter(fields=(("name", "name"),), field_labels={"name": _("Name")})
    with translation.override("nb"):
        labels = [str(label) for _value, label in sort.extra["choices"]]
    assert labels == ["Navn", "Navn (synkende)"]
    with translation.override("en"):
        labels = [str(label) for _value, label in sort.extra["choices"]]
    assert labels == ["Name", "Name (descending)"]
