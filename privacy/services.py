"""Personal data: what unikom holds about a user, correcting it, erasing it, expiry.

The rules are described in docs/privacy.md. Views and the ``unikom privacy``
command only call the functions here:

- ``personal_data(user)``: everything unikom holds about the account and its
  linked person, for the page and its JSON download;
- ``correct_account`` / ``correct_person``: the user's own corrections;
- ``request_erasure``: records a request and tells the national administrators;
- ``erase``: pseudonymises an account and/or a person, history included;
- ``expire``: deactivates unused accounts, erases long-deactivated ones and
  drops old sign-in records.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from accounts.models import Assignment, Role
from core import permissions
from core import personal as personal_hooks
from opendata import kept
from organisations.models import Person

from .models import Deactivation, Erasure, ErasureRequest, Reason, RequestState

logger = logging.getLogger(__name__)

#: What erasure writes instead of the real values. They are data, not page text,
#: and so not translated (like the history's change reasons in core.models):
#: the same person gets the same pseudonym whenever and wherever it is erased.
PERSON_PSEUDONYM = "Slettet person {pk}"
USER_FIRST_NAME = "Slettet"
USER_LAST_NAME = "bruker {pk}"
USERNAME = "slettet-{pk}"

#: The history's change reasons (not translated, as core.models' "moved to trash").
CORRECTED_REASON = "corrected by the person"
EXPIRED_REASON = "unikom privacy expire"
ERASED_REASON = "unikom privacy erase"

#: At most this many changes a user made are listed (all are counted).
CHANGES_LISTED = 100


class Conflict(Exception):
    """The record changed since the form was opened."""


# -- what unikom holds ---------------------------------------------------------------


def own_person(user) -> Person | None:
    """The person record linked to the account (also when it is in the trash)."""
    if not permissions.roles(user).authenticated:
        return None
    return Person.all_objects.filter(user=user).first()


def _history_models() -> list[type]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, HistoricalChanges)
        and any(f.name == "history_user" for f in m._meta.fields)
    ]


def _label_field(model) -> str | None:
    names = {f.name for f in model._meta.fields}
    return next((n for n in ("title", "name", "filename") if n in names), None)


def changes_made_by(user) -> tuple[int, list[dict]]:
    """How many changes the account made (every history row naming it as editor),
    and the newest ``CHANGES_LISTED`` of them. Two queries per history table."""
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    total = 0
    rows: list[dict] = []
    for model in _history_models():
        mine = model.objects.filter(history_user=user)
        total += mine.count()
        label = _label_field(model)
        pk_name = model.instance_type._meta.pk.attname
        wanted = ["history_id", "history_date", "history_type", pk_name]
        for row in mine.order_by("-history_date").values(*wanted, *([label] if label else []))[
            :CHANGES_LISTED
        ]:
            rows.append(
                {
                    "when": row["history_date"],
                    "what": str(model.instance_type._meta.verbose_name),
                    "record": str(row[label]) if label else f"#{row[pk_name]}",
                    "change": str(kinds.get(row["history_type"], row["history_type"])),
                }
            )
    rows.sort(key=lambda r: r["when"], reverse=True)
    return total, rows[:CHANGES_LISTED]


def _roles(user) -> list[dict[str, Any]]:
    """The user's roles; a superuser's every right comes first (no assignment says it)."""
    roles = [
        {
            "role": a.get_role_display(),
            "for": str(a.partnership or a.organisation or _("the whole registry")),
            "since": a.created,
        }
        for a in user.assignments.select_related("partnership", "organisation")
    ]
    if user.is_superuser:
        everything = _("Superuser: every right, in the site and the admin")
        registry = _("the whole registry")
        roles.insert(0, {"role": str(everything), "for": str(registry), "since": user.date_joined})
    return roles


def personal_data(user) -> dict[str, Any]:
    """Everything unikom holds about ``user`` and their linked person, for them to read.

    The password itself is never stored, only a one-way hash; the export says
    whether there is one and how it is made, not the hash.
    """
    username = user.get_username()
    algorithm = user.password.split("$", 1)[0] if user.has_usable_password() else ""
    data: dict[str, Any] = {
        "account": {
            "username": username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "password": (
                _("set; stored only as a one-way hash (%(algorithm)s)") % {"algorithm": algorithm}
                if algorithm
                else _("none that can be used to sign in")
            ),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
        },
        "sign_in_records": [
            {
                "when": r.attempt_time,
                "outcome": str(outcome),
                "address": r.ip_address,
                "browser": r.user_agent,
                "path": r.path_info,
            }
            for model, outcome in (
                (AccessLog, _("signed in")),
                (AccessFailureLog, _("failed sign-in")),
                (AccessAttempt, _("failed attempts being counted")),
            )
            for r in model.objects.filter(username=username).order_by("-attempt_time")[:200]
        ],
        "roles": _roles(user),
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "scope": t.get_scope_display(),
                "created": t.created,
                "last_used": t.last_used,
                "expires": t.expires_at,
                "revoked": t.revoked_at,
            }
            for t in user.api_tokens.all()
        ],
        "imports": [
            {"file": b.filename, "when": b.created, "state": b.get_state_display()}
            for b in user.import_batches.all()
        ],
        "erasure_requests": [
            {"when": r.created, "state": r.get_state_display(), "message": r.message}
            for r in user.erasure_requests.all()
        ],
        "person": None,
    }
    person = own_person(user)
    if person is not None:
        data["person"] = {
            "public_id": str(person.public_id),
            "url": person.get_absolute_url(),
            "name": person.name,
            "orcid": person.orcid or "",
            "email": person.email,
            "phone": person.phone,
            "contact_public": person.contact_public,
            "is_public": person.is_public,
            "in_trash": person.in_trash,
            "created": person.created,
            "updated": person.updated,
            "affiliations": [
                {
                    "organisation": a.organisation.name,
                    "title": a.title,
                    "unit": a.unit,
                    "from": a.valid_from,
                    "until": a.valid_to,
                }
                for a in person.affiliations.select_related("organisation")
            ],
            "activities": [
                {
                    "activity": r.activity.title,
                    "url": r.activity.get_absolute_url(),
                    "role": r.get_role_display(),
                }
                for r in person.activity_roles.select_related("activity").order_by(
                    "activity__title", "role"
                )
            ],
            "needs": [
                {"need": n.title, "url": n.get_absolute_url(), "role": str(_("contact person"))}
                for n in person.needs.all().order_by("title")
            ],
            "history_rows": person.history.count(),
        }
    total, changes = changes_made_by(user)
    data["changes_made"] = {"count": total, "newest": changes}
    # What the other apps hold (second factor, sign-in provider logins, invitations
    # and access requests): core.personal.
    data["more"] = personal_hooks.sections(user)
    return data


# -- corrections -----------------------------------------------------------------------


def correct_account(user, *, first_name: str, last_name: str, email: str) -> None:
    """The user's own name and e-mail address (the username stays: it signs in)."""
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save(update_fields=["first_name", "last_name", "email"])
    logger.info("privacy.account.corrected user_id=%s", user.pk)


def correct_person(user, person: Person, values: dict, version: int | None) -> Person:
    """Save the user's corrections to their own person record, refusing an older version.

    The change is kept in the person's history like any other edit.
    """
    if not permissions.can_correct_own(user, person):
        raise PermissionError("not the user's own person record")
    with transaction.atomic():
        current = (
            Person.all_objects.select_for_update()
            .filter(pk=person.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is None or current != version:
            raise Conflict
        for name, value in values.items():
            setattr(person, name, value)
        person.version = current + 1
        person._change_reason = CORRECTED_REASON
        person.save()
    logger.info("privacy.person.corrected user_id=%s person_id=%s", user.pk, person.pk)
    return person


# -- asking for erasure ----------------------------------------------------------------


def national_admin_addresses() -> list[str]:
    """E-mail addresses of the active national administrators (superusers count)."""
    users = get_user_model()._default_manager.filter(is_active=True).exclude(email="")
    admins = users.filter(
        Q(is_superuser=True)
        | Q(pk__in=Assignment.objects.filter(role=Role.NATIONAL_ADMIN).values("user_id"))
    )
    return sorted(set(admins.values_list("email", flat=True)))


def request_erasure(user, message: str, admin_url: str) -> tuple[ErasureRequest, bool]:
    """Record the user's request (one open request at a time) and mail the administrators.

    Returns the open request and whether it is new. The mail names only the
    request's number and where to handle it, never the person.
    """
    try:
        with transaction.atomic():
            existing = user.erasure_requests.filter(state=RequestState.OPEN).first()
            if existing is not None:
                return existing, False
            made = ErasureRequest.objects.create(user=user, message=message)
    except IntegrityError:  # asked twice at the same moment
        return user.erasure_requests.get(state=RequestState.OPEN), False
    addresses = national_admin_addresses()
    logger.info("privacy.erasure.requested request_id=%s user_id=%s", made.pk, user.pk)
    if not addresses:
        logger.warning("privacy.erasure.requested: no national administrator has an e-mail address")
        return made, True
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("unikom: erasure request #%(number)s") % {"number": made.pk}
        body = _(
            "A user has asked for their personal data in unikom to be erased.\n\n"
            "See and handle the request here:\n%(url)s\n\n"
            "docs/privacy.md describes what erasure does."
        ) % {"url": admin_url}
    send_mail(subject, body, None, addresses, fail_silently=False)
    return made, True


# -- erasure ---------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    """What ``erase`` will pseudonymise: an account, a person, or both."""

    user: Any = None
    person: Person | None = None

    @property
    def pseudonym(self) -> str:
        if self.person is not None:
            return PERSON_PSEUDONYM.format(pk=self.person.pk)
        return f"{USER_FIRST_NAME} {USER_LAST_NAME.format(pk=self.user.pk)}"


def plan_for_user(user) -> ErasurePlan:
    """The account and the person linked to it."""
    return ErasurePlan(user=user, person=Person.all_objects.filter(user=user).first())


def plan_for(key: str) -> ErasurePlan:
    """The account with username ``key``, or the person with public id ``key``, with
    the person or account linked to it. ``LookupError`` if there is neither."""
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: key}).first()
    if user is not None:
        return plan_for_user(user)
    try:
        person = Person.all_objects.select_related("user").filter(public_id=key).first()
    except Exception:  # noqa: BLE001 - not a UUID (ValidationError/ValueError)
        person = None
    if person is None:
        raise LookupError(key)
    return ErasurePlan(user=person.user, person=person)


def _erase_person(person: Person) -> int:
    """Pseudonymise the person and every history row of it; returns the rows rewritten."""
    pseudonym = PERSON_PSEUDONYM.format(pk=person.pk)
    values = {"name": pseudonym, "email": "", "phone": "", "orcid": None, "contact_public": False}
    list(Person.all_objects.select_for_update().filter(pk=person.pk).values_list("pk"))
    person.refresh_from_db()
    for name, value in values.items():
        setattr(person, name, value)
    # A newer version: a form opened before the erasure cannot save the old name back.
    person.version += 1
    # No new history row: the existing ones are rewritten below, so the history keeps
    # its rows and dates and shows the pseudonym throughout. Saving (rather than
    # update()) lets the search index follow.
    person.skip_history_when_saving = True
    try:
        person.save()
    finally:
        del person.skip_history_when_saving
    rows = Person.history.filter(id=person.pk).update(**values)
    _rename_in_admin_log(Person, person.pk, pseudonym)
    return rows


def _erase_account(user) -> list[str]:
    """Pseudonymise and deactivate the account; returns the usernames it had."""
    old_username, old_email = user.get_username(), user.email
    user.username = USERNAME.format(pk=user.pk)
    user.first_name = USER_FIRST_NAME
    user.last_name = USER_LAST_NAME.format(pk=user.pk)
    user.email = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save()
    _revoke_roles(user, ERASED_REASON)
    user.api_tokens.all().delete()
    user.erasure_requests.update(message="")
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__in={old_username, user.username}).delete()
    _rename_in_admin_log(type(user), user.pk, user.username)
    personal_hooks.erased(user, old_username=old_username, old_email=old_email)
    return [old_username]


def _rename_in_admin_log(model, pk, name: str) -> None:
    """The admin's own log names the objects it changed; it names the pseudonym now."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(pk),
    ).update(object_repr=name)


def _revoke_roles(user, reason: str) -> int:
    count = 0
    for assignment in user.assignments.all():
        assignment._change_reason = reason
        assignment.delete()
        count += 1
    permissions.forget_roles(user)
    return count


def forget_kept_copies() -> None:
    """Drop every kept page and download of this server (core.cache, opendata.kept).

    They are kept under the data version, the newest history ids. An erasure adds
    no history row to what it erases, only one to the erasure log, which moves the
    version of the whole data set (what downloads are kept under) but not that of
    the people alone (what some pages are kept under): without this, a page kept
    before the erasure could show the old name until it expires.
    """

    cache.clear()
    shutil.rmtree(kept.folder(), ignore_errors=True)


def erase(plan: ErasurePlan, *, reason: str, by=None) -> Erasure:
    """Pseudonymise the account and/or person of ``plan``, history included, in one
    transaction. Erasing again changes nothing more and adds a line to the log."""
    with transaction.atomic():
        rows = _erase_person(plan.person) if plan.person is not None else 0
        if plan.user is not None:
            _erase_account(plan.user)
            plan.user.erasure_requests.filter(state=RequestState.OPEN).update(
                state=RequestState.ERASED, handled_at=timezone.now()
            )
        erasure = Erasure.objects.create(
            user=plan.user,
            person=plan.person,
            pseudonym=plan.pseudonym,
            reason=reason,
            history_rows=rows,
            by=by if getattr(by, "is_authenticated", False) else None,
        )
        transaction.on_commit(forget_kept_copies)
    logger.info(
        "privacy.erased erasure_id=%s user_id=%s person_id=%s reason=%s history_rows=%s",
        erasure.pk,
        getattr(plan.user, "pk", None),
        getattr(plan.person, "pk", None),
        reason,
        rows,
    )
    return erasure


# -- expiry ----------------------------------------------------------------------------


@dataclass
class ExpiryReport:
    #: "username (#id)" of the accounts deactivated; the erased ones by id only, so
    #: that the command's output (kept in a cron log) does not keep their usernames.
    deactivated: list[str] = field(default_factory=list)
    erased: list[int] = field(default_factory=list)
    sign_in_records: int = 0


def expire(*, now: datetime | None = None, dry_run: bool = False) -> ExpiryReport:
    """Apply the retention rules of docs/privacy.md once (``unikom privacy expire``, daily).

    1. An active account (not a superuser) without a sign-in for
       ``UNIKOM_ACCOUNT_INACTIVE_DAYS`` (counted from joining if it never signed
       in) is deactivated and loses its roles.
    2. A deactivated account without a sign-in for that long plus
       ``UNIKOM_ACCOUNT_ERASE_DAYS``, and deactivated by rule 1 at least
       ``UNIKOM_ACCOUNT_ERASE_DAYS`` ago if it was, is erased (account only).
    3. Sign-in records (django-axes) older than ``UNIKOM_SIGN_IN_RECORD_DAYS`` are deleted.
    """
    now = now or timezone.now()
    inactive = timedelta(days=settings.UNIKOM_ACCOUNT_INACTIVE_DAYS)
    grace = timedelta(days=settings.UNIKOM_ACCOUNT_ERASE_DAYS)
    records_cutoff = now - timedelta(days=settings.UNIKOM_SIGN_IN_RECORD_DAYS)
    users = (
        get_user_model()
        ._default_manager.exclude(is_superuser=True)
        .exclude(pk__in=Erasure.objects.filter(user__isnull=False).values("user_id"))
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
    )
    to_erase = list(
        users.filter(is_active=False, last_seen__lt=now - inactive - grace)
        .filter(Q(deactivation__isnull=True) | Q(deactivation__deactivated_at__lt=now - grace))
        .order_by("pk")
    )
    to_deactivate = list(users.filter(is_active=True, last_seen__lt=now - inactive).order_by("pk"))
    report = ExpiryReport(
        deactivated=[f"{u.get_username()} (#{u.pk})" for u in to_deactivate],
        erased=[u.pk for u in to_erase],
    )
    old_records = [
        model.objects.filter(attempt_time__lt=records_cutoff)
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    ]
    if dry_run:
        report.sign_in_records = sum(q.count() for q in old_records)
        return report
    with transaction.atomic():
        for user in to_deactivate:
            user.is_active = False
            user.save(update_fields=["is_active"])
            _revoke_roles(user, EXPIRED_REASON)
            Deactivation.objects.update_or_create(user=user, defaults={"deactivated_at": now})
        for user in to_erase:
            # The account only: the person record is the registry's, and stays.
            erase(ErasurePlan(user=user), reason=Reason.EXPIRED)
        report.sign_in_records = sum(q.delete()[0] for q in old_records)
    logger.info(
        "privacy.expired deactivated=%s erased=%s sign_in_records=%s",
        len(report.deactivated),
        len(report.erased),
        report.sign_in_records,
    )
    return report
