"""Pages of the portfolio: the activity list, an activity, editing, and the
portfolios of one partnership or one organisation."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import permissions
from core.cache import kept_listing, visitor_page
from core.filtering import NOT_FILTERS
from core.related import attach
from core.views import RecordCreateView, RecordHistoryView, RecordTrashView, RecordUpdateView
from organisations.models import Organisation
from partnerships.models import Partnership

from .choices import PersonRole
from .filtersets import ActivityFilterSet, listed_activities
from .forms import ActivityForm
from .models import Activity
from .portfolio import counts_by_type, type_counts

PAGE_SIZE = 50
PERSON_ROLE_ORDER = {value: i for i, value in enumerate(PersonRole.values)}


class ActivityFormMixin:
    """The activity form page shows the role formsets under the form."""

    model = Activity
    form_class = ActivityForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formsets"] = context["form"].formsets
        return context


class ActivityCreateView(ActivityFormMixin, RecordCreateView):
    def get_initial(self):
        """The user's only partnership and organisation (RecordCreateView, through the
        form's scope_fields), unless ``?partnership=<slug>`` or ``?organisation=<key>``
        (from a portfolio page, when the user may add there) chooses another."""
        initial = super().get_initial()
        slug = self.request.GET.get("partnership")
        chosen = (
            permissions.allowed_partnerships(
                self.request.user, Partnership.objects.filter(slug=slug)
            )
            if slug
            else []
        )
        if chosen:
            initial["partnerships"] = list(chosen)
        key = self.request.GET.get("organisation")
        if key:
            org = (
                permissions.allowed_organisations(self.request.user, Organisation.objects.all())
                .filter(slug=key)
                .first()
            )
            if org is not None:
                initial["professional_owner"] = org
        return initial


class ActivityUpdateView(ActivityFormMixin, RecordUpdateView):
    pass


class ActivityTrashView(RecordTrashView):
    model = Activity


class ActivityHistoryView(RecordHistoryView):
    model = Activity


def portfolio_context(
    request: HttpRequest, queryset, *, scope: str = "all", without: tuple[str, ...] = ()
) -> dict:
    """Filters, one page of activities and the counts by type, in a fixed number of queries.

    The counts follow every filter except the type, so that each type's count
    is what choosing it would show; the number of matches is read from them.
    ``scope`` names the portfolio ``queryset`` is (a partnership's, an
    organisation's). The page keeps the rendered list until the data changes
    (``listing_key``, core.cache); the values are computed only when it must
    be drawn again.
    """

    def compute() -> dict:
        filterset, activities = listed_activities(
            request.GET, request.user, queryset, without=without
        )
        untyped = request.GET.copy()
        untyped.pop("type", None)
        for name in NOT_FILTERS:
            untyped.pop(name, None)
        counting = ActivityFilterSet(
            untyped,
            queryset=permissions.visible(request.user, queryset),
            request=request,
            without=without,
        )
        counts = counts_by_type(counting.qs)
        chosen_type = filterset.form.cleaned_data.get("type") if filterset.is_valid() else ""
        paginator = Paginator(activities.prefetch_related(None), PAGE_SIZE)
        if filterset.is_valid():
            # What the tabs say is what the list holds: no second count.
            paginator.count = counts.get(chosen_type, 0) if chosen_type else sum(counts.values())
        page = paginator.get_page(request.GET.get("page"))
        attach(page.object_list, "partnerships", "partnership_list")
        attach(page.object_list, "themes", "theme_list")
        return {
            "filterset": filterset,
            "page": page,
            "activities": page.object_list,
            "type_counts": type_counts(counts),
            "counted": sum(counts.values()),
            "chosen_type": chosen_type,
        }

    keys = ("filterset", "page", "activities", "type_counts", "counted", "chosen_type")
    return kept_listing("activities", request, keys, compute, (scope,))


def activity_list(request: HttpRequest) -> HttpResponse:
    context = portfolio_context(request, Activity.objects.all())
    context["can_add"] = permissions.can_add(request.user, Activity)
    return render(request, "activities/activity_list.html", context)


def partnership_portfolio(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404(_("No partnership with that address."))
    context = portfolio_context(
        request,
        Activity.objects.filter(partnerships=partnership),
        scope=f"partnership:{partnership.pk}",
        without=("partnership",),
    )
    context.update(
        owner=partnership,
        owner_kind="partnership",
        can_add=permissions.can_add(request.user, Activity, partnerships=[partnership.pk]),
        add_query=f"partnership={partnership.slug}",
    )
    return render(request, "activities/portfolio.html", context)


def organisation_portfolio(request: HttpRequest, key: str) -> HttpResponse:
    try:
        org = Organisation.objects.get_by_key(key)
    except Organisation.DoesNotExist:
        raise Http404(_("No organisation with that address.")) from None
    context = portfolio_context(
        request,
        Activity.objects.involving(org),
        scope=f"organisation:{org.pk}",
        without=("organisation",),
    )
    context.update(
        owner=org,
        owner_kind="organisation",
        can_add=permissions.can_add(request.user, Activity, organisations=[org.pk]),
        add_query=f"organisation={org.slug}",
    )
    return render(request, "activities/portfolio.html", context)


def activity_detail(request: HttpRequest, key) -> HttpResponse:
    """An activity's page; kept whole for visitors until the data changes."""
    return visitor_page(
        request,
        "activity-page",
        (str(key),),
        "activities/activity_detail.html",
        lambda: _activity_page(request, key),
    )


def _activity_page(request: HttpRequest, key) -> dict:
    """The context of an activity's page, as the reader may see it."""
    activity = Activity.objects.with_roles(request.user).filter(public_id=key).first()
    if activity is None or not permissions.can_view(request.user, activity):
        raise Http404(_("No activity with that address."))
    person_roles = sorted(activity.person_roles.all(), key=lambda r: PERSON_ROLE_ORDER[r.role])
    for row in person_roles:
        row.show_contact = row.person.contact_visible_to(request.user)
    return {
        "activity": activity,
        "organisation_roles": activity.organisation_roles.all(),
        "person_roles": person_roles,
        "can_edit": permissions.can_change(request.user, activity),
    }
