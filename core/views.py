"""Generic views for records people edit in the site.

Each app configures them with a model and a form; the rules come from
core.permissions, so every create, edit, trash, restore and history page
checks the same way. Edits are guarded against lost updates: the form
carries the record's version, and saving an older version is refused with
the typed values kept (HTTP 409).
"""

from __future__ import annotations

import logging

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import CreateView, UpdateView

from . import permissions
from .history import history_of
from .models import RecordModel
from .widgets import prompt_choices

CONFLICT_MESSAGE = gettext_lazy(
    "Someone else saved this record while you were editing it. Your changes are not "
    "saved; they are still in the form below. Open the record again to see the new "
    "version, then make your changes there."
)


class RecordForm(forms.ModelForm):
    """A model form that knows the user and carries the record's version.

    Its selects start with "Choose …" (core.widgets.prompt_choices).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        prompt_choices(self)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    #: The form fields that choose the record's partnership(s) and organisation: a new
    #: record's form starts with the user's only ones chosen in them
    #: (RecordCreateView.get_initial), and scope() reads them for records tied to (at
    #: most) one of each; forms of records tied to several override scope().
    scope_fields: tuple[str, str] | None = None

    def scope(self) -> tuple[set[int], set[int]]:
        """Partnership and organisation ids the new or edited record is tied to.

        ``can_add`` checks it before anything is saved.
        """
        if self.scope_fields is None:
            return set(), set()
        partnership, organisation = (self.cleaned_data.get(name) for name in self.scope_fields)
        return (
            {partnership.pk} if partnership else set(),
            {organisation.pk} if organisation else set(),
        )


def lookup_record(model: type[RecordModel], key: str, *, field: str = "public_id"):
    """The live record with this public id, or 404 (also for a malformed id)."""
    try:
        return model.objects.get(**{field: key})
    except (model.DoesNotExist, ValueError, ValidationError):
        raise Http404(_("No such record.")) from None


class RecordObjectMixin:
    model: type[RecordModel]
    lookup_field = "public_id"
    lookup_kwarg = "key"

    def get_object(self, queryset=None):
        obj = lookup_record(self.model, self.kwargs[self.lookup_kwarg], field=self.lookup_field)
        if not permissions.can_view(self.request.user, obj):
            raise Http404
        return obj


class RecordCreateView(LoginRequiredMixin, CreateView):
    template_name = "core/record_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_add(request.user, self.model):
            raise PermissionDenied(_("Your role does not allow adding this."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        """The user's only partnership and only organisation, chosen in the form's
        ``scope_fields`` (permissions.sole_scope): as the one value of a field that
        chooses several (a ModelMultipleChoiceField, such as an activity's
        partnerships), as the value of any other."""
        initial = super().get_initial()
        names = getattr(self.form_class, "scope_fields", None)
        if names:
            for name, pk in zip(names, permissions.sole_scope(self.request.user), strict=True):
                if pk is not None:
                    multiple = isinstance(
                        self.form_class.base_fields[name], forms.ModelMultipleChoiceField
                    )
                    initial.setdefault(name, [pk] if multiple else pk)
        return initial

    def form_valid(self, form):
        partnerships, organisations = form.scope()
        if not permissions.can_add(
            self.request.user, self.model, partnerships=partnerships, organisations=organisations
        ):
            form.add_error(None, _("Your role does not allow adding records for these parties."))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        with transaction.atomic():
            response = super().form_valid(form)
        messages.success(self.request, _("Saved."))
        return response

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "verb": _("Add"),
            "model_label": self.model._meta.verbose_name,
        }


class RecordUpdateView(LoginRequiredMixin, RecordObjectMixin, UpdateView):
    template_name = "core/record_form.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not permissions.can_change(self.request.user, obj):
            raise Http404  # out of scope: do not reveal what exists
        return obj

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        partnerships, organisations = form.scope()
        if (partnerships or organisations) and not permissions.can_add(
            self.request.user, self.model, partnerships=partnerships, organisations=organisations
        ):
            form.add_error(None, _("Your role does not allow moving the record to these parties."))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        with transaction.atomic():
            current = (
                type(self.object)
                .all_objects.select_for_update()
                .filter(pk=self.object.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is None or current != form.cleaned_data.get("version"):
                form.add_error(None, CONFLICT_MESSAGE)
                return self.render_to_response(self.get_context_data(form=form), status=409)
            form.instance.version = current + 1
            response = super().form_valid(form)
        messages.success(self.request, _("Saved."))
        return response

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "verb": _("Edit"),
            "model_label": self.model._meta.verbose_name,
        }


class RecordTrashView(LoginRequiredMixin, RecordObjectMixin, View):
    """GET asks for confirmation; POST moves the record to the trash."""

    template_name = "core/record_trash.html"

    def get_target(self):
        obj = self.get_object()
        if not permissions.can_change(self.request.user, obj):
            raise Http404
        return obj

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        return render(request, self.template_name, {"object": self.get_target()})

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        obj = self.get_target()
        obj.move_to_trash(request.user)
        messages.success(request, _("Moved to the trash. You can restore it from there."))
        return HttpResponseRedirect(reverse("core:trash"))


class RecordHistoryView(RecordObjectMixin, View):
    template_name = "core/record_history.html"

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        obj = self.get_object()
        entries = history_of(obj, request.user)
        return render(request, self.template_name, {"object": obj, "entries": entries})


def record_models() -> list[type[RecordModel]]:
    """Every concrete model with a trash."""
    return [m for m in apps.get_models() if issubclass(m, RecordModel)]


class TrashView(LoginRequiredMixin, View):
    """Records in the trash that the user may restore, newest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = []
        for model in record_models():
            trashed = permissions.editable(request.user, model.all_objects.trashed())
            for obj in trashed.select_related("deleted_by")[:200]:
                rows.append((obj, model._meta))
        rows.sort(key=lambda row: row[0].deleted_at, reverse=True)
        return render(request, "core/trash.html", {"rows": rows})


class RestoreView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            raise Http404 from None
        if not issubclass(model, RecordModel):
            raise Http404
        obj = get_object_or_404(model.all_objects.trashed(), pk=pk)
        if not permissions.can_change(request.user, obj):
            raise Http404
        obj.restore(request.user)
        messages.success(request, _("Restored."))
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else reverse("core:trash")
        return HttpResponseRedirect(url)


# --- Health check --------------------------------------------------------------

logger = logging.getLogger(__name__)

#: Set once this process has seen every migration applied; it stays so.
_migrations_applied = False


def migrations_pending() -> bool:
    """Whether the database lacks migrations this code has (checked until they are there)."""
    global _migrations_applied
    if _migrations_applied:
        return False
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = not pending
    return pending


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when the database answers and is migrated, else 503.

    Nothing else is checked and nothing is written; see docs/deployment.md.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        pending = migrations_pending()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse(
            {"status": "unavailable", "database": "unavailable", "migrations": "unknown"},
            status=503,
        )
    if pending:
        return JsonResponse(
            {"status": "unavailable", "database": "ok", "migrations": "pending"}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "ok"})
