"""Import batches of the web importer: preview a stored file, commit it, who may see them."""

from __future__ import annotations

from django.db.models import QuerySet

from core import permissions

from .kinds import get_kind
from .models import BatchState, ImportBatch
from .reading import ReadError
from .service import Options, Report, check, commit
from .sources import read_file


def batches_for(user) -> QuerySet[ImportBatch]:
    """The imports a user may see: their own; a national administrator sees all."""
    queryset = ImportBatch.objects.select_related("user", "undone_by")
    if permissions.roles(user).national_admin:
        return queryset
    return queryset.filter(user=user)


def _options(batch: ImportBatch, user, **extra) -> Options:
    partnership = batch.options.get("partnerships") or ""
    defaults = {"partnerships": partnership} if partnership else {}
    return Options(user=user, defaults=defaults, **extra)


def _failed(batch: ImportBatch, message: str) -> Report:
    report = Report(kind=batch.kind, filename=batch.filename)
    report.add(None, "", message)
    return report


def preview(batch: ImportBatch, user) -> Report:
    """Check the stored file and keep the report and the versions it saw on the batch."""
    try:
        table, source_format = read_file(bytes(batch.data), batch.filename, batch.source_format)
    except ReadError as error:
        report = _failed(batch, error.message)
    else:
        batch.source_format = source_format
        report = check(table, batch.kind, batch.filename, _options(batch, user))
        batch.versions = report.versions
    batch.report = report.as_dict()
    batch.save()
    return report


def commit_batch(batch: ImportBatch, user, accepted: list[str]) -> Report:
    """Write a previewed batch, with the proposals the user confirmed (by index).

    Refuses rows whose record changed since the preview (``versions``).
    """
    proposals = batch.report.get("proposals", [])
    confirmed = {
        p["text"]: p["organisation_id"] for i, p in enumerate(proposals) if str(i) in accepted
    }
    try:
        table, _format = read_file(bytes(batch.data), batch.filename, batch.source_format)
    except ReadError as error:
        return _failed(batch, error.message)
    options = _options(batch, user, accepted=confirmed, expected_versions=batch.versions)
    report = commit(table, batch.kind, batch, options)
    if not report.ok:
        batch.refresh_from_db()
        batch.report = report.as_dict()
        batch.save(update_fields=["report"])
    return report


def may_undo(user, batch: ImportBatch) -> bool:
    """A committed import may be undone by a national administrator, or by the
    user who made it while their roles still let them change every record it
    wrote: undoing writes those records again, and a role taken away since
    (a coordinator who left) no longer allows that."""
    if batch.state != BatchState.COMMITTED:
        return False
    if permissions.roles(user).national_admin:
        return True
    if batch.user_id != user.pk:
        return False
    changes = batch.changes or {}
    pks = set(changes.get("created", [])) | {entry["pk"] for entry in changes.get("updated", [])}
    if not pks:
        return True
    records = get_kind(batch.kind).model.all_objects.filter(pk__in=pks)
    return permissions.editable(user, records).count() == records.count()
