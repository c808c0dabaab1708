"""The Need model: known statuses and kinds of work, deadlines, the trash."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from needs.models import Need, validate_suited_for

pytestmark = pytest.mark.django_db


def test_an_unknown_status_is_refused_by_the_database(make_need):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_need(status="forgotten")


def test_a_need_without_a_title_is_refused_by_the_database(make_need):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_need(title="")


@pytest.mark.parametrize(
    "value", [["party"], "thesis", [1], ["thesis", "thesis"], {"thesis": True}]
)
def test_suited_for_holds_only_a_list_of_known_kinds(value):
    with pytest.raises(ValidationError):
        validate_suited_for(value)


def test_suited_for_accepts_known_kinds():
    validate_suited_for(["thesis", "phd", "knowledge_summary"])
    validate_suited_for([])


def test_needs_are_found_by_one_kind_of_work(make_need):
    phd = make_need(title="PhD", suited_for=["phd"])
    both = make_need(title="Both", suited_for=["thesis", "phd"])
    make_need(title="Project", suited_for=["project"])
    assert set(Need.objects.suited_for("phd")) == {phd, both}
    assert set(Need.objects.suited_for("knowledge_summary")) == set()


def test_the_deadline_has_passed_only_after_the_day(make_need):
    today = timezone.localdate()
    assert make_need(deadline=today - timedelta(days=1)).deadline_passed
    assert not make_need(deadline=today).deadline_passed
    assert not make_need(deadline=None).deadline_passed


def test_needs_come_soonest_deadline_first_and_those_without_last(make_need):
    today = timezone.localdate()
    none = make_need(title="Ingen frist")
    later = make_need(title="Senere", deadline=today + timedelta(days=30))
    soon = make_need(title="Snart", deadline=today + timedelta(days=3))
    assert list(Need.objects.filter(pk__in=[none.pk, later.pk, soon.pk])) == [soon, later, none]


def test_a_need_reads_as_its_title_and_links_by_public_id(make_need):
    need = make_need(title="Ensomhet blant eldre")
    assert str(need) == "Ensomhet blant eldre"
    assert need.get_absolute_url() == f"/research-needs/{need.public_id}/"
    with translation.override("en"):
        assert need.suited_for_labels == ["Student thesis", "Research project"]


def test_the_trash_hides_a_need_and_keeps_its_history(make_need, reader):
    need = make_need()
    need.move_to_trash(reader)
    assert not Need.objects.filter(pk=need.pk).exists()
    need.restore(reader)
    assert Need.objects.filter(pk=need.pk).exists()
    assert [h.history_change_reason for h in need.history.order_by("history_id")] == [
        None,
        "moved to trash",
        "restored from trash",
    ]
