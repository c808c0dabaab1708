"""The signed-in user's personal data: read it, download it, correct it, ask for erasure.

Every view works on the requesting account and its own person record only:
nothing here takes an id, so another user's data cannot be asked for.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.views import CONFLICT_MESSAGE

from . import services
from .forms import AccountForm, ErasureRequestForm, PersonCorrectionForm
from .models import RequestState


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy statement in short, for everyone (docs/privacy.md in full)."""
    return render(
        request,
        "privacy/privacy.html",
        {
            "inactive_days": settings.UNIKOM_ACCOUNT_INACTIVE_DAYS,
            "erase_days": settings.UNIKOM_ACCOUNT_ERASE_DAYS,
            "record_days": settings.UNIKOM_SIGN_IN_RECORD_DAYS,
        },
    )


def _page(request: HttpRequest, *, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    person = services.own_person(user)
    forms.setdefault("account_form", AccountForm(instance=user))
    if person is not None:
        forms.setdefault("person_form", PersonCorrectionForm(instance=person, user=user))
    forms.setdefault("erasure_form", ErasureRequestForm())
    response = render(
        request,
        "privacy/my_data.html",
        {
            "data": services.personal_data(user),
            "person": person,
            "open_request": user.erasure_requests.filter(state=RequestState.OPEN).first(),
            **forms,
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_safe
def my_data_download(request: HttpRequest) -> HttpResponse:
    found = services.personal_data(request.user)
    more = found.pop("more")
    data = {
        "exported": timezone.now(),
        "site": request.build_absolute_uri("/"),
        **found,
        **{section.key: section.rows for section in more},
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="unikom-my-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def correct_account(request: HttpRequest) -> HttpResponse:
    # A copy: a form that fails validation must not leave its values on request.user,
    # which the page shows as the stored data.
    account = get_user_model()._default_manager.get(pk=request.user.pk)
    form = AccountForm(request.POST, instance=account)
    if not form.is_valid():
        return _page(request, account_form=form, status=400)
    services.correct_account(request.user, **form.cleaned_data)
    messages.success(request, _("Your account is corrected."))
    return HttpResponseRedirect(reverse("privacy:my_data"))


@login_required
@require_POST
def correct_person(request: HttpRequest) -> HttpResponse:
    person = services.own_person(request.user)
    if person is None:
        messages.error(request, _("No person record is linked to your account."))
        return HttpResponseRedirect(reverse("privacy:my_data"))
    form = PersonCorrectionForm(request.POST, instance=person, user=request.user)
    if not form.is_valid():
        return _page(request, person_form=form, status=400)
    values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        services.correct_person(request.user, person, values, form.cleaned_data.get("version"))
    except services.Conflict:
        form.add_error(None, CONFLICT_MESSAGE)
        return _page(request, person_form=form, status=409)
    messages.success(request, _("Your person record is corrected."))
    return HttpResponseRedirect(reverse("privacy:my_data"))


@login_required
@require_POST
def ask_for_erasure(request: HttpRequest) -> HttpResponse:
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        return _page(request, erasure_form=form, status=400)
    made, new = services.request_erasure(
        request.user,
        form.cleaned_data["message"],
        admin_url=request.build_absolute_uri(reverse("admin:privacy_erasurerequest_changelist")),
    )
    if new:
        messages.success(
            request,
            _(
                "Your request for erasure is recorded, and the national administrators "
                "are told. They will erase your data or contact you."
            ),
        )
    else:
        messages.info(request, _("You have already asked for erasure; the request is open."))
    return HttpResponseRedirect(reverse("privacy:my_data"))
