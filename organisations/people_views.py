"""People: the list, a person's page with their posts and roles, and editing.

Contact details are personal data: a page shows e-mail and phone only when
``Person.contact_visible_to`` allows it, and the history page hides their
old and new values from visitors who are not signed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django.core.paginator import Paginator
from django.db.models import Exists, F, Model, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import permissions
from core.dates import local_today
from core.history import history_of
from core.models import RecordModel
from core.views import (
    CONFLICT_MESSAGE,
    RecordCreateView,
    RecordHistoryView,
    RecordTrashView,
    RecordUpdateView,
)
from core.widgets import ListSelect

from .choices import KNOWLEDGE_KINDS, OrganisationKind
from .forms import PersonForm
from .models import Affiliation, Organisation, Person

PAGE_SIZE = 50
PUBLIC_SECTOR_KINDS = (
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.DISTRICT,
    OrganisationKind.COUNTY,
)
#: Fields whose values the history page shows only to signed-in users.
PRIVATE_FIELDS = ("email", "phone", "user")


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Name or ORCID"))
    organisation = django_filters.ModelChoiceFilter(
        widget=ListSelect,
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.filter(
            Exists(Affiliation.objects.filter(organisation=OuterRef("pk")))
        ).as_choices(),
        field_name="affiliations__organisation",
        distinct=True,
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        return (
            queryset.filter(Q(name__icontains=value) | Q(orcid__iexact=value))
            if value
            else queryset
        )


def listed_people(params, user) -> tuple[PersonFilterSet, QuerySet[Person]]:
    """The person list's filter form and its people, with their current posts.

    The page and its open data export both call it, so an export holds
    exactly the people the page lists.
    """
    people = permissions.visible(user, Person.objects.all()).prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.current()
            .select_related("organisation")
            .order_by("organisation__name"),
            to_attr="current_affiliations",
        )
    )
    filterset = PersonFilterSet(params, queryset=people)
    return filterset, filterset.qs.order_by("name", "pk")


def person_list(request: HttpRequest) -> HttpResponse:
    """Everyone in the registry; visitors who are not signed in see public people only."""
    filterset, people = listed_people(request.GET, request.user)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/person_list.html",
        {
            "filterset": filterset,
            "page": page,
            "people": page.object_list,
            "can_add": permissions.can_add(request.user, Person),
        },
    )


@dataclass
class RoleGroup:
    """A person's roles in one kind of record, e.g. in activities or bodies."""

    label: str
    rows: list[tuple[Model, str]] = field(default_factory=list)


def _link_target(model: type[Model], person_field: str):
    """The one foreign key of a link model (like ``ActivityPerson``) besides the person."""
    targets = [
        f
        for f in model._meta.concrete_fields
        if f.many_to_one
        and f.name != person_field
        and f.related_model is not Person
        and hasattr(f.related_model, "get_absolute_url")
    ]
    return targets[0] if len(targets) == 1 else None


def person_roles(person: Person, user) -> list[RoleGroup]:
    """The person's roles in activities, bodies and the like, where those apps record them.

    Found from the relations pointing at Person whose rows have a ``role``, so
    that apps added later (``activities.ActivityPerson``, body members) show
    up without changes here. One query per kind of role.
    """
    groups = []
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if model is Affiliation or not relation.one_to_many:
            continue
        names = {f.name for f in model._meta.get_fields()}
        target = _link_target(model, relation.field.name)
        if "role" not in names or target is None:
            continue
        target_model = target.related_model
        rows = model._default_manager.filter(**{relation.field.name: person}).select_related(
            target.name
        )
        if issubclass(target_model, RecordModel):
            rows = rows.filter(**{f"{target.name}__deleted_at__isnull": True})
        target_fields = {f.name for f in target_model._meta.get_fields()}
        if "is_public" in target_fields and not permissions.roles(user).authenticated:
            rows = rows.filter(**{f"{target.name}__is_public": True})
        display = getattr(model, "get_role_display", None)
        group = RoleGroup(label=str(target_model._meta.verbose_name_plural).capitalize())
        for row in rows:
            group.rows.append(
                (getattr(row, target.name), row.get_role_display() if display else row.role)
            )
        if group.rows:
            groups.append(group)
    return groups


def person_detail(request: HttpRequest, key) -> HttpResponse:
    person = (
        Person.objects.filter(public_id=key)
        .prefetch_related(
            Prefetch(
                "affiliations",
                # Latest post first, the same on SQLite and PostgreSQL.
                queryset=Affiliation.objects.select_related("organisation").order_by(
                    F("valid_from").desc(nulls_last=True), "organisation__name", "pk"
                ),
            )
        )
        .first()
    )
    if person is None or not permissions.can_view(request.user, person):
        raise Http404(_("No person with that address."))
    today = local_today()
    affiliations = list(person.affiliations.all())
    current = [a for a in affiliations if a.is_current(today)]
    former = [a for a in affiliations if not a.is_current(today)]
    municipal = any(a.organisation.kind in PUBLIC_SECTOR_KINDS for a in current)
    academic = any(a.organisation.kind in KNOWLEDGE_KINDS for a in current)
    return render(
        request,
        "organisations/person_detail.html",
        {
            "person": person,
            "current": current,
            "former": former,
            "dual": municipal and academic,
            "show_contact": person.contact_visible_to(request.user),
            "roles": person_roles(person, request.user),
            "can_edit": permissions.can_change(request.user, person),
        },
    )


class PersonFormMixin:
    model = Person
    form_class = PersonForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formsets"] = [context["form"].affiliations]
        return context


class PersonCreateView(PersonFormMixin, RecordCreateView):
    pass


class PersonUpdateView(PersonFormMixin, RecordUpdateView):
    def form_invalid(self, form):
        """An invalid save of an old version is a conflict too.

        When someone else removed an affiliation meanwhile, the stale form's row
        no longer validates; the editor should hear why (HTTP 409), not get a
        puzzling error on a hidden field.
        """
        current = Person.all_objects.filter(pk=self.object.pk).values_list("version", flat=True)
        if str(current.first()) != str(form.data.get("version")):
            form.add_error(None, CONFLICT_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        return super().form_invalid(form)


class PersonTrashView(RecordTrashView):
    model = Person


class PersonHistoryView(RecordHistoryView):
    """The generic history, with contact details hidden from visitors not signed in."""

    model = Person

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        person = self.get_object()
        entries = history_of(person, request.user)
        if not permissions.roles(request.user).authenticated:
            private = {str(Person._meta.get_field(name).verbose_name) for name in PRIVATE_FIELDS}
            hidden = _("(hidden)")
            for entry in entries:
                for change in entry.changes:
                    if change.field in private:
                        change.old = change.new = hidden
        return render(request, self.template_name, {"object": person, "entries": entries})
