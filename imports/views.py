"""Pages of the web importer: upload, preview, import, undo, and the list of imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import batches, service
from .batches import batches_for, commit_batch, commit_refusal, may_undo, preview
from .forms import KIND_LABELS, UploadForm, importable_kinds
from .models import BatchState, ImportBatch

PAGE_SIZE = 50
SHOWN_PROBLEMS = 500


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not importable_kinds(request.user):
        raise PermissionDenied(_("Your role does not allow adding records."))
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        partnership = form.cleaned_data["partnership"]
        batch = ImportBatch.objects.create(
            user=request.user,
            kind=form.cleaned_data["kind"],
            source_format=form.cleaned_data["source_format"],
            filename=upload.name[:255],
            size=upload.size,
            data=upload.read(),
            options={"partnerships": partnership.slug if partnership else ""},
        )
        preview(batch, request.user)
        return redirect(batch)
    status = 400 if form.errors else 200
    return render(request, "imports/upload.html", {"form": form}, status=status)


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = batches_for(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404(_("No import with that number."))
    return batch


@login_required
def batch_detail(request: HttpRequest, pk: int, *, status: int = 200) -> HttpResponse:
    batch = _batch(request, pk)
    report = batch.report or {}
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "report": report,
            "kind_label": KIND_LABELS.get(batch.kind, batch.kind),
            "problems": report.get("problems", [])[:SHOWN_PROBLEMS],
            "hidden_problems": max(report.get("problem_count", 0) - SHOWN_PROBLEMS, 0),
            "can_commit": commit_refusal(batch, request.user) is None,
            "can_undo": may_undo(request.user, batch),
        },
        status=status,
    )


@login_required
@require_POST
def batch_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    refusal = commit_refusal(batch, request.user)
    if refusal is not None:
        if batch.state != BatchState.PREVIEW or batch.user_id != request.user.pk:
            raise PermissionDenied(refusal)
        messages.error(request, refusal)
        return batch_detail(request, pk, status=409)
    report = commit_batch(
        batch, request.user, request.POST.getlist("accept"), max_rows=batches.MAX_WEB_COMMIT_ROWS
    )
    if not report.ok:
        messages.error(
            request,
            _("Nothing was imported: %(summary)s") % {"summary": report.summary()},
        )
        return batch_detail(request, pk, status=409)
    messages.success(request, _("Imported. %(summary)s") % {"summary": report.summary()})
    return redirect(batch)


@login_required
@require_POST
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if not may_undo(request.user, batch):
        raise PermissionDenied(_("This import cannot be undone by you."))
    problems = service.undo(batch, request.user)
    if problems:
        for line in problems:
            messages.error(request, line)
        return batch_detail(request, pk, status=409)
    messages.success(request, _("The import was undone."))
    return redirect(batch)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    page = Paginator(batches_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/history.html",
        {"page": page, "batches": page.object_list, "kind_labels": KIND_LABELS},
    )
