"""Import batches of the web importer: preview a stored file, commit it, who may see them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

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


#: Writing takes some milliseconds a row (docs/import.md); a web request writes
#: at most this many, bigger files are imported with `unikom import`.
MAX_WEB_COMMIT_ROWS = 5000


def commit_refusal(batch: ImportBatch, user) -> str | None:
    """Why ``user`` may not import ``batch`` from the web, or None if they may.

    Only a preview that finished (a crash may leave one behind without its report),
    found no problems, and holds at most MAX_WEB_COMMIT_ROWS rows is imported.
    """
    report = batch.report or {}
    if batch.state != BatchState.PREVIEW or batch.user_id != user.pk:
        return _("Only the person who uploaded a previewed file can import it.")
    if "rows" not in report:
        return _("The preview of this file did not finish. Upload the file again.")
    if report.get("problem_count") or not report["rows"]:
        return _("The preview found problems: fix the file and upload it again.")
    if report["rows"] > MAX_WEB_COMMIT_ROWS:
        return _(
            "Files of more than %(n)d rows are imported with the command line: "
            "unikom import %(file)s --user %(user)s"
        ) % {"n": MAX_WEB_COMMIT_ROWS, "file": batch.filename, "user": user.get_username()}
    return None


def commit_batch(
    batch: ImportBatch, user, accepted: list[str], *, max_rows: int | None = None
) -> Report:
    """Write a previewed batch, with the proposals the user confirmed (by index).

    Refuses rows whose record changed since the preview (``versions``), and the
    whole file if it holds more than ``max_rows`` rows, counted in the file itself.
    """
    proposals = batch.report.get("proposals", [])
    confirmed = {
        p["text"]: p["organisation_id"] for i, p in enumerate(proposals) if str(i) in accepted
    }
    try:
        table, _format = read_file(bytes(batch.data), batch.filename, batch.source_format)
    except ReadError as error:
        return _failed(batch, error.message)
    rows = sum(1 for _row in table.rows()) if max_rows is not None else 0
    if max_rows is not None and rows > max_rows:
        report = _failed(
            batch,
            _("Files of more than %(n)d rows are imported with the command line.")
            % {"n": max_rows},
        )
        report.rows = rows
        batch.report = report.as_dict()
        batch.save(update_fields=["report"])
        return report
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
