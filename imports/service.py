"""The importer: check a whole file, then write all of it or nothing; undo an import.

``check`` reads every row and reports every problem with its row number (the
header is row 1, as a spreadsheet shows it) and column — a ``core.loading.Problem``,
as in every loader of unikom — and what the file would do: how many records it
would create, update and leave unchanged, and which organisation names need a
confirmed proposal. It writes nothing.

``commit`` does the same inside one transaction and writes as it goes; if any
row has a problem (or a proposal is unconfirmed, or a record changed since the
preview) the transaction is rolled back, so the database is as before. Every
record it writes carries "Import #N from FILE" and the user in its history.

``undo`` takes a committed import back, again all or nothing: created
records go to the trash, updated records get back the values they had before
the import (from their history) — unless someone changed them since, in which
case nothing is undone and the records are named.

Memory stays bounded for big files: rows are read in chunks of
``kinds.CHUNK``; only the keys needed to find duplicates are kept for the
whole file. Queries do not grow with the rows: lookups are read once, the
records a chunk refers to by id are read together, and the database's records
holding the chunk's natural keys are looked up by index (never every record).
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import permissions
from core.loading import Problem, Problems
from search import documents as search_documents
from search import signals as search_signals

from . import values as v
from .kinds import CHUNK, Existing, Kind, Lookups, get_kind
from .matching import Proposal
from .models import BatchState, ImportBatch
from .reading import Formula, ReadError, Table

#: A stored preview keeps this many problems; the count says how many there were.
MAX_STORED_PROBLEMS = 1000
ID_COLUMN = "id"

Progress = Callable[[int, int], None]


@dataclass
class Report:
    """What a file would do (or did), and every problem found in it."""

    kind: str
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Every problem, each with its row and column (the file is ``filename``).
    problems: Problems = field(default_factory=Problems)
    proposals: list[Proposal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: public id -> version (0: not in the database) of every row that has an id
    versions: dict[str, int] = field(default_factory=dict)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.proposals

    def add(self, row: int | None, column: str, message: str) -> Problem:
        return self.problems.add(message, row=row, column=column)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problem_count": len(self.problems),
            "problems": [p.as_dict() for p in self.problems[:MAX_STORED_PROBLEMS]],
            "proposals": [p.as_dict() for p in self.proposals],
            "notes": self.notes,
            "written": self.written,
        }

    def summary(self) -> str:
        """One sentence, each count with its noun in the right number ("1 row", "2 rows")."""
        rows, created, updated, unchanged = self.rows, self.created, self.updated, self.unchanged
        problems, proposals = len(self.problems), len(self.proposals)
        return _(
            "%(rows)s: %(created)s, %(updated)s, %(unchanged)s; %(problems)s, %(proposals)s."
        ) % {
            "rows": ngettext("%(n)d row", "%(n)d rows", rows) % {"n": rows},
            "created": ngettext("%(n)d new", "%(n)d new", created) % {"n": created},
            "updated": ngettext("%(n)d updated", "%(n)d updated", updated) % {"n": updated},
            "unchanged": ngettext("%(n)d unchanged", "%(n)d unchanged", unchanged)
            % {"n": unchanged},
            "problems": ngettext("%(n)d problem", "%(n)d problems", problems) % {"n": problems},
            "proposals": ngettext("%(n)d name to confirm", "%(n)d names to confirm", proposals)
            % {"n": proposals},
        }


@dataclass
class Options:
    """How to run an import.

    ``accepted`` maps names from the file to the organisation the user
    confirmed for them; ``accept_proposals`` confirms every proposal (the
    CLI's ``--accept-proposals``). ``expected_versions`` are the versions a
    preview saw; a record whose version differs at commit is a conflict.
    ``defaults`` fill a column for rows that leave it empty (the partnership of
    a Prosjektbanken file, say).
    """

    user: Any
    accepted: dict[str, int] = field(default_factory=dict)
    accept_proposals: bool = False
    expected_versions: dict[str, int] | None = None
    defaults: dict[str, str] = field(default_factory=dict)


def check(
    table: Table, kind_name: str, filename: str, options: Options, progress: Progress | None = None
) -> Report:
    """Validate the whole file; write nothing."""
    return _Run(table, get_kind(kind_name), filename, options, progress).run()


def commit(
    table: Table,
    kind_name: str,
    batch: ImportBatch,
    options: Options,
    progress: Progress | None = None,
) -> Report:
    """Validate and write the file in one transaction: all rows, or none.

    ``batch`` may be unsaved (the CLI); it is saved inside the transaction, so
    a failed import leaves no trace but its report.
    """
    kind = get_kind(kind_name)
    with transaction.atomic(), search_signals.paused():
        if batch.pk is None:
            batch.save()
        run = _Run(table, kind, batch.filename, options, progress, batch=batch)
        report = run.run()
        if not report.ok:
            transaction.set_rollback(True)
            return report
        _reindex(kind, run.created + [entry["pk"] for entry in run.updated])
        report.written = True
        batch.state = BatchState.COMMITTED
        batch.committed_at = timezone.now()
        batch.report = report.as_dict()
        batch.changes = {"created": run.created, "updated": run.updated}
        batch.data = b""
        batch.save()
    return report


def _reindex(kind: Kind, pks: list[int]) -> None:
    """Bring the search index up to date for the written records, a chunk at a time.

    The per-save index signals are paused during an import: one record saved
    with its partnerships, themes and roles would be indexed four times.
    """
    search_kind = search_documents.kind_for_model(kind.model)
    for start in range(0, len(pks), CHUNK):
        search_documents.update_records(search_kind, pks[start : start + CHUNK])


class _Run:
    def __init__(
        self,
        table: Table,
        kind: Kind,
        filename: str,
        options: Options,
        progress: Progress | None,
        *,
        batch: ImportBatch | None = None,
    ) -> None:
        self.table = table
        self.kind = kind
        self.options = options
        self.progress = progress
        self.batch = batch
        self.report = Report(kind=kind.name, filename=filename, notes=list(table.notes))
        self.created: list[int] = []
        self.new: list[tuple[Any, dict[str, Any]]] = []
        self.updated: list[dict] = []
        self.user_roles = permissions.roles(options.user)

    # -- the header ------------------------------------------------------------------

    def columns(self) -> list[str] | None:
        """Column names of the file, or None when the header has problems."""
        known = [c.name for c in self.kind.columns]
        names = [str(h or "").strip().lstrip("\ufeff").strip().lower() for h in self.table.header]
        ok = True
        seen = set()
        for name in names:
            if not name:
                continue
            if name in seen:
                self.report.add(1, name, _("The column appears twice."))
                ok = False
            seen.add(name)
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                message = _("Unknown column.")
                if close:
                    message += " " + _("Did you mean “%(name)s”?") % {"name": close[0]}
                message += " " + _("The columns are: %(names)s.") % {"names": ", ".join(known)}
                self.report.add(1, name, message)
                ok = False
        if ID_COLUMN not in seen:
            for target in self.kind.required:
                column = self.kind.column_of(target)
                if column not in seen and column not in self.options.defaults:
                    self.report.add(1, column, _("The column is missing; new records need it."))
                    ok = False
        return names if ok else None

    # -- the rows --------------------------------------------------------------------

    def run(self) -> Report:
        names = self.columns()
        if names is None:
            return self.report
        lookups = Lookups(self.options.accepted)
        self.lookups = lookups
        # Records this import wrote, and the natural keys its updated records held
        # before: the duplicate checks see the database as the import found it.
        self.written: set[int] = set()
        self.keys_before: dict[Any, int] = {}
        self.seen_ids: dict[uuid.UUID, int] = {}
        self.seen_keys: dict[Any, int] = {}
        self.blank_state = self._blank_state()
        rows = self.table.rows()
        done = 0
        try:
            while chunk := list(islice(rows, CHUNK)):
                parsed = [self._parse(number, cells, names) for number, cells in chunk]
                self._check_chunk([p for p in parsed if p is not None])
                done += len(chunk)
                if self.progress:
                    self.progress(done, max(done, self.table.total))
        except ReadError as error:
            self.report.add(None, "", error.message)
        self.report.rows = done
        if not done and not self.report.problems:
            self.report.add(2, "", _("The file has a header but no rows."))
        proposals = lookups.organisations.proposals
        if self.options.accept_proposals:
            proposals = {}
        self.report.proposals = sorted(proposals.values(), key=lambda p: p.rows[0])
        return self.report

    def _blank_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {}
        fields = {f.attname: f for f in self.kind.model._meta.concrete_fields}
        for target, _reader in self.kind.readers.values():
            if target in self.kind.relations:
                state[target] = frozenset()
            else:
                state[target] = fields[target].get_default()
        return {**state, **self.kind.defaults}

    def _parse(self, number: int, cells: list, names: list[str]):
        """(row, public id, values, targets whose cell could not be read) of one row;
        None when the row cannot be checked at all."""
        report = self.report
        if len(cells) > len(names) and any(not v.blank(c) for c in cells[len(names) :]):
            report.add(number, "", _("The row has more cells than the header has columns."))
            return None
        by_name = dict(zip(names, cells, strict=False))
        for column, default in self.options.defaults.items():
            if v.blank(by_name.get(column)):
                by_name[column] = default
        ok = True
        for name, cell in by_name.items():
            if isinstance(cell, Formula):
                report.add(
                    number,
                    name,
                    _(
                        "The cell holds a formula (%(formula)s). Formulas are not read; "
                        "replace it with its value."
                    )
                    % {"formula": cell.text[:80]},
                )
                ok = False
        if not ok:
            return None
        public_id = None
        try:
            public_id = v.public_id(by_name.get(ID_COLUMN))
        except v.CellError as error:
            report.add(number, ID_COLUMN, str(error))
            return None
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for name, cell in by_name.items():
            reader = self.kind.readers.get(name)
            if reader is None:
                continue
            target, read = reader
            if target in self.kind.keep_when_blank and v.blank(cell):
                continue
            try:
                values[target] = read(cell, self.lookups, number)
            except v.CellError as error:
                report.add(number, name, str(error))
                failed.add(target)
        return number, public_id, values, failed

    def _check_chunk(self, parsed: list[tuple[int, uuid.UUID | None, dict, set]]) -> None:
        ids = [pid for _n, pid, _v, _f in parsed if pid is not None]
        existing = self.kind.load(ids, lock=self.batch is not None) if ids else {}
        editable: set[int] = set()
        if existing and not self.user_roles.national_admin:
            editable = set(
                permissions.editable(
                    self.options.user,
                    self.kind.model.all_objects.filter(
                        pk__in=[e.obj.pk for e in existing.values()]
                    ),
                ).values_list("pk", flat=True)
            )
        states = [
            self._state(values, existing.get(public_id)) for _n, public_id, values, _f in parsed
        ]
        self.owners = self._owners(states)
        for (number, public_id, values, failed), state in zip(parsed, states, strict=True):
            self._check_row(
                number, public_id, values, failed, existing.get(public_id), editable, state
            )
        self._write_new()

    def _state(self, values, existing: Existing | None) -> dict[str, Any]:
        """A row's record as it would be: the stored state (or the defaults) and the row."""
        return {**(existing.state if existing else self.blank_state), **values}

    def _owners(self, states) -> dict[Any, int]:
        """Natural key -> primary key of the live record that held it when the import
        began, for the keys of ``states``: the records this import wrote are taken as
        they were (so a preview and its commit find the same duplicates)."""
        keys = {key for state in states for _column, key in self.kind.natural_keys(state)}
        if not keys:
            return {}
        owners = {key: pk for key, pk in self.kind.database_keys(keys) if pk not in self.written}
        owners.update((key, self.keys_before[key]) for key in keys & self.keys_before.keys())
        return owners

    def _check_row(
        self, number, public_id, values, failed, existing: Existing | None, editable, state
    ) -> None:
        report, kind = self.report, self.kind
        before = len(report.problems)
        if public_id is not None:
            first = self.seen_ids.setdefault(public_id, number)
            if first != number:
                report.add(number, ID_COLUMN, _("The same id as row %(row)d.") % {"row": first})
            version = existing.obj.version if existing else 0
            report.versions[str(public_id)] = version
            expected = self.options.expected_versions
            if expected is not None and expected.get(str(public_id), 0) != version:
                report.add(
                    number,
                    ID_COLUMN,
                    _(
                        "The record was changed (or added) since the preview. Upload the file "
                        "again to see the current state."
                    ),
                )
        if existing is not None and existing.obj.deleted_at is not None:
            report.add(
                number,
                ID_COLUMN,
                _("The record is in the trash. Restore it first, or leave the id empty."),
            )
            return
        for target in kind.required:
            if target not in failed and state.get(target) in (None, "", [], frozenset()):
                report.add(number, kind.column_of(target), _("This column must have a value."))
        if failed:
            return
        for column, message in kind.rules(state, existing.state if existing else None):
            report.add(number, column, message)
        self._check_permission(number, state, existing, editable)
        self._check_duplicates(number, existing.obj.pk if existing else None, state)
        if len(report.problems) > before:
            return
        if existing is None:
            report.created += 1
            outcome = "created"
        else:
            changed = {t: val for t, val in values.items() if existing.state.get(t) != val}
            if not changed:
                report.unchanged += 1
                return
            report.updated += 1
            outcome = "updated"
            values = changed
        confirmed = self.options.accept_proposals or not self.lookups.organisations.proposals
        if self.batch is not None and not report.problems and confirmed:
            if outcome == "created":
                self._create(public_id, values)
            else:
                self._update(existing, values)

    def _check_permission(self, number, state, existing, editable) -> None:
        if self.user_roles.national_admin:
            return
        user, model = self.options.user, self.kind.model
        if existing is not None and existing.obj.pk not in editable:
            self.report.add(number, ID_COLUMN, _("Your role does not allow changing this record."))
            return
        partnerships, organisations = self.kind.scope(state)
        if (existing is None or partnerships or organisations) and not permissions.can_add(
            user, model, partnerships=partnerships, organisations=organisations
        ):
            column = next(
                (c for c in ("partnerships", "partnership") if c in self.kind.readers),
                ID_COLUMN,
            )
            self.report.add(
                number,
                column,
                _(
                    "Your role does not allow adding records for these parties: give a "
                    "partnership you coordinate or an organisation you edit for."
                ),
            )

    def _check_duplicates(self, number, own_pk: int | None, state) -> None:
        for column, key in self.kind.natural_keys(state):
            first = self.seen_keys.setdefault(key, number)
            if first != number:
                self.report.add(
                    number,
                    column,
                    _("Duplicate of row %(row)d (the same %(column)s).")
                    % {"row": first, "column": column},
                )
                continue
            owner = self.owners.get(key)
            if owner is not None and owner != own_pk:
                self.report.add(
                    number,
                    column,
                    _(
                        "A record with the same %(column)s exists already (id %(id)s). Put "
                        "that id in the id column to update it."
                    )
                    % {"column": column, "id": self._public_id(owner)},
                )

    def _public_id(self, pk: int) -> uuid.UUID:
        return self.kind.model.all_objects.values_list("public_id", flat=True).get(pk=pk)

    # -- writing ---------------------------------------------------------------------

    def _create(self, public_id, values) -> None:
        """A checked new record, written with the rest of its chunk (_write_new)."""
        kind = self.kind
        obj = kind.model(public_id=public_id or uuid.uuid4())
        for target, value in {**kind.defaults, **values}.items():
            if target not in kind.relations:
                setattr(obj, target, value)
        self.new.append((obj, values))

    def _write_new(self) -> None:
        """Write the chunk's new records together (ActivityRows in bulk), in file order."""
        if self.report.problems:  # the import will not be written: spare the work
            self.new = []
        if not self.new:
            return
        self.kind.create_all(self.new, self.batch.reason, self.options.user)
        self.created.extend(obj.pk for obj, _values in self.new)
        self.written.update(obj.pk for obj, _values in self.new)
        self.new = []

    def _update(self, existing: Existing, changed) -> None:
        kind, user, reason = self.kind, self.options.user, self.batch.reason
        obj = existing.obj
        before = (
            obj.history.order_by("-history_date", "-history_id")
            .values_list("history_id", flat=True)
            .first()
        )
        self.written.add(obj.pk)
        for _column, key in kind.natural_keys(existing.state):
            self.keys_before.setdefault(key, obj.pk)
        for target, value in changed.items():
            if target not in kind.relations:
                setattr(obj, target, value)
        obj.version += 1
        obj._change_reason = reason
        obj._history_user = user
        obj.save()
        for target in kind.relations:
            if target in changed:
                kind.set_relation(obj, target, changed[target], reason, user)
        self.updated.append(
            {
                "pk": obj.pk,
                "history_id": before,
                "version": obj.version,
                **kind.snapshot(existing.state),
            }
        )


# -- undo ----------------------------------------------------------------------------

#: Fields undo never takes from the history: identity and bookkeeping.
NOT_RESTORED = {"id", "public_id", "version", "created", "updated", "deleted_at", "deleted_by_id"}


def undo(batch: ImportBatch, user) -> list[str]:
    """Take a committed import back; return the problems that stopped it (then nothing changed)."""
    if batch.state != BatchState.COMMITTED:
        return [_("Only a completed import can be undone.")]
    kind = get_kind(batch.kind)
    model = kind.model
    created_pks = batch.changes.get("created", [])
    updated = batch.changes.get("updated", [])
    with transaction.atomic(), search_signals.paused():
        created = list(model.all_objects.select_for_update().filter(pk__in=created_pks))
        current = {
            o.pk: o
            for o in model.all_objects.select_for_update().filter(
                pk__in=[entry["pk"] for entry in updated]
            )
        }
        problems = []
        for obj in created:
            if obj.version != 1:
                problems.append(_("“%(title)s” was changed after the import.") % {"title": obj})
        for entry in updated:
            obj = current.get(entry["pk"])
            if obj is None or obj.version != entry["version"] or entry.get("history_id") is None:
                problems.append(
                    _("“%(title)s” was changed after the import.")
                    % {"title": obj if obj is not None else entry["pk"]}
                )
        if problems:
            return [
                *problems,
                _(
                    "Nothing was undone. Change those records by hand, or undo the later "
                    "changes first."
                ),
            ]
        reason = batch.undo_reason
        now = timezone.now()
        for obj in created:
            if obj.deleted_at is None:
                obj.deleted_at = now
                obj.deleted_by = user
                obj._change_reason = reason
                obj._history_user = user
                obj.save(update_fields=["deleted_at", "deleted_by", "updated"])
        historic = {
            h.history_id: h
            for h in model.history.filter(history_id__in=[e["history_id"] for e in updated])
        }
        for entry in updated:
            obj = current[entry["pk"]]
            old = historic[entry["history_id"]]
            for f in model._meta.concrete_fields:
                if f.attname not in NOT_RESTORED and hasattr(old, f.attname):
                    setattr(obj, f.attname, getattr(old, f.attname))
            obj.version += 1
            obj._change_reason = reason
            obj._history_user = user
            obj.save()
            kind.restore_relations(obj, entry, reason, user)
        _reindex(kind, [o.pk for o in created] + list(current))
        batch.state = BatchState.UNDONE
        batch.undone_at = now
        batch.undone_by = user
        batch.save(update_fields=["state", "undone_at", "undone_by"])
    return []
