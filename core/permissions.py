"""Who may see and change what — every rule in one place.

Roles (accounts.Assignment): a national administrator changes everything; a
partnership coordinator changes everything of their own partnership; an
organisation editor changes their own organisation's activities, needs and
events; any other signed-in user is a reader; anonymous visitors read public
data only.

A model takes part by declaring where its partnerships and organisations are::

    class Activity(RecordModel):
        scope_lookups = {
            "partnership": ["partnerships"],
            "organisation": ["organisation_roles__organisation", "professional_owner"],
        }
        organisation_editors_may_edit = True

``Partnership`` itself is in its own scope (lookup ``"pk"``). Pages and the API
call ``can_change`` / ``can_add`` for single records and ``editable``/
``visible`` for querysets; out-of-scope records answer 404 or 403 in views.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class UserRoles:
    authenticated: bool
    national_admin: bool
    partnerships: frozenset[int]
    organisations: frozenset[int]
    #: The (slug, name) of each partnership the user coordinates, by name: the navigation
    #: links them without a query of its own.
    coordinated: tuple[tuple[str, str], ...] = ()

    @property
    def editor(self) -> bool:
        return self.national_admin or bool(self.partnerships or self.organisations)


ANONYMOUS = UserRoles(False, False, frozenset(), frozenset())


class Role:
    """The role values of role assignments (accounts.models.Role gives them their
    labels): core reads them without importing the app that stores them."""

    NATIONAL_ADMIN = "national_admin"
    COORDINATOR = "coordinator"
    ORGANISATION_EDITOR = "organisation_editor"


def _memberships(queryset: QuerySet):
    """The membership model behind ``queryset``'s ``memberships`` relation (partnerships
    and organisations both have one), reached without importing its app."""
    return queryset.model._meta.get_field("memberships").related_model


def roles(user) -> UserRoles:
    """The user's roles, read once per request and kept on the user object."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_unikom_roles", None)
    if cached is not None:
        return cached
    rows = list(
        user.assignments.values_list(
            "role",
            "partnership_id",
            "organisation_id",
            "partnership__slug",
            "partnership__name",
            "partnership__deleted_at",
        )
    )
    coordinated = sorted(
        (name, slug)
        for role, _p, _o, slug, name, deleted_at in rows
        if role == Role.COORDINATOR and slug and deleted_at is None
    )
    rows = [row[:3] for row in rows]
    result = UserRoles(
        authenticated=True,
        national_admin=user.is_superuser or any(r == Role.NATIONAL_ADMIN for r, _p, _o in rows),
        partnerships=frozenset(p for r, p, _o in rows if r == Role.COORDINATOR),
        organisations=frozenset(o for r, _p, o in rows if r == Role.ORGANISATION_EDITOR),
        coordinated=tuple((slug, name) for name, slug in coordinated),
    )
    user._unikom_roles = result
    return result


def forget_roles(user) -> None:
    """Drop the cached roles (after assignments change)."""
    if hasattr(user, "_unikom_roles"):
        del user._unikom_roles


def _lookups(model: type[Model], kind: str) -> list[str]:
    return list(getattr(model, "scope_lookups", {}).get(kind, []))


def scope_q(model: type[Model], user_roles: UserRoles) -> Q:
    """A filter for the records of ``model`` that the roles allow changing."""
    if user_roles.national_admin:
        return Q()
    condition = Q(pk__in=[])
    for lookup in _lookups(model, "partnership"):
        if user_roles.partnerships:
            condition |= Q(**{f"{lookup}__in": user_roles.partnerships})
    if getattr(model, "organisation_editors_may_edit", False) and user_roles.organisations:
        for lookup in _lookups(model, "organisation"):
            condition |= Q(**{f"{lookup}__in": user_roles.organisations})
    return condition


def editable(user, queryset: QuerySet) -> QuerySet:
    """The records of ``queryset`` the user may change."""
    user_roles = roles(user)
    if not user_roles.authenticated:
        return queryset.none()
    if user_roles.national_admin:
        return queryset
    return queryset.filter(scope_q(queryset.model, user_roles)).distinct()


def visible(user, queryset: QuerySet) -> QuerySet:
    """The records a user may read: public ones, and all of them when signed in.

    Models without an ``is_public`` field are public.
    """
    fields = {f.name for f in queryset.model._meta.get_fields()}
    if "is_public" not in fields or roles(user).authenticated:
        return queryset
    return queryset.filter(is_public=True)


def visible_through(user, queryset: QuerySet, field: str) -> QuerySet:
    """Link rows (``queryset``) whose ``field`` points at a record the user may read.

    The same rule as ``visible`` and the trash, written as conditions on the
    join rather than ``field__in=<every visible record>``, which some databases
    would materialise in full (50,000 people to show one activity's five).
    """
    target = queryset.model._meta.get_field(field).related_model
    names = {f.name for f in target._meta.get_fields()}
    conditions = {}
    if "deleted_at" in names:
        conditions[f"{field}__deleted_at__isnull"] = True
    if "is_public" in names and not roles(user).authenticated:
        conditions[f"{field}__is_public"] = True
    return queryset.filter(**conditions)


def can_view(user, obj: Model) -> bool:
    return getattr(obj, "is_public", True) or roles(user).authenticated


def can_correct_own(user, person: Model) -> bool:
    """Whether the user may correct ``person`` as their own record: the person linked
    to their account, whatever their role (privacy: name, contact, visibility)."""
    return roles(user).authenticated and person.user_id == user.pk


def can_change(user, obj: Model) -> bool:
    """Whether the user may edit, move to trash or restore ``obj``."""
    user_roles = roles(user)
    if user_roles.national_admin:
        return True
    if not user_roles.editor:
        return False
    model = type(obj)
    manager = getattr(model, "all_objects", model._default_manager)
    return manager.filter(pk=obj.pk).filter(scope_q(model, user_roles)).exists()


def can_add(
    user,
    model: type[Model],
    *,
    partnerships: Iterable[int] | None = None,
    organisations: Iterable[int] | None = None,
) -> bool:
    """Whether the user may create a ``model`` record tied to these ids.

    Without ids it answers whether the user may add such records at all (to show
    or hide an "add" button). With ids, the record must be tied to a partnership
    the user coordinates or, where organisation editors may edit the model, to one
    of their organisations; a record tied to nobody only a national administrator
    may create.
    """
    user_roles = roles(user)
    if user_roles.national_admin:
        return True
    by_org = getattr(model, "organisation_editors_may_edit", False)
    if partnerships is None and organisations is None:
        return bool(user_roles.partnerships or (by_org and user_roles.organisations))
    partnerships, organisations = set(partnerships or ()), set(organisations or ())
    return bool(partnerships & user_roles.partnerships) or bool(
        by_org and organisations & user_roles.organisations
    )


def sole_scope(user) -> tuple[int | None, int | None]:
    """The partnership the user coordinates and the organisation they edit, each
    only when they have exactly one: a new record's form starts with them chosen,
    so that it lands in that portfolio. The roles' one query; nothing more."""
    user_roles = roles(user)
    (partnership,) = user_roles.partnerships if len(user_roles.partnerships) == 1 else (None,)
    (organisation,) = user_roles.organisations if len(user_roles.organisations) == 1 else (None,)
    return partnership, organisation


def allowed_partnerships(user, queryset: QuerySet) -> QuerySet:
    """Partnerships the user may attach new records to: those they coordinate,
    and those their organisations are current members of (for organisation
    editors, whose records must still belong to their organisation)."""
    user_roles = roles(user)
    if user_roles.national_admin:
        return queryset
    via_organisation = (
        _memberships(queryset)
        .objects.current()
        .filter(organisation_id__in=user_roles.organisations)
    )
    return queryset.filter(
        Q(pk__in=user_roles.partnerships) | Q(pk__in=via_organisation.values("partnership_id"))
    )


def allowed_organisations(user, queryset: QuerySet) -> QuerySet:
    """Organisations the user may attach new records to (as owner or organiser)."""
    user_roles = roles(user)
    if user_roles.national_admin:
        return queryset
    member_of_own = (
        _memberships(queryset).objects.current().filter(partnership_id__in=user_roles.partnerships)
    )
    return queryset.filter(
        Q(pk__in=user_roles.organisations) | Q(pk__in=member_of_own.values("organisation_id"))
    )


# --- Offers of help on a research need (needs app) ----------------------------


def can_offer_help(user, need: Model, *, email_verified: bool) -> bool:
    """Writing to a need's contact through the site takes a signed-in user who may
    see the need and whose e-mail address is verified (the answer goes there, and
    the contact sees an address that is the sender's). Whether the need still takes
    offers (open, deadline not passed) is the need's rule (needs.rules)."""
    return roles(user).authenticated and email_verified and can_view(user, need)


def can_see_offers(user, need: Model) -> bool:
    """How many offers of help a need has had: for those who may edit the need."""
    return can_change(user, need)


# --- Giving roles: invitations and access requests (access app) ---------------
# A national administrator may give a coordinator's role for any partnership and
# an organisation editor's role for any organisation; a coordinator the
# coordinator's role for their own partnership; an organisation editor the
# editor's role for their own organisation. Nobody gives the national
# administrator's role this way (the admin and `unikom roles` do).


def can_grant(user, role: str, *, partnership=None, organisation=None) -> bool:
    """Whether the user may invite someone to, or approve a request for, this role."""
    user_roles = roles(user)
    if not user_roles.authenticated:
        return False
    if role == Role.COORDINATOR and partnership is not None and organisation is None:
        return user_roles.national_admin or partnership.pk in user_roles.partnerships
    if role == Role.ORGANISATION_EDITOR and organisation is not None and partnership is None:
        return user_roles.national_admin or organisation.pk in user_roles.organisations
    return False


def may_grant_any(user) -> bool:
    """Whether the user may give any role at all (to show the invitation pages)."""
    return roles(user).editor


def grantable(user, queryset: QuerySet) -> QuerySet:
    """Rows of ``queryset`` (with ``role``, ``partnership`` and ``organisation``) for
    roles the user may give: the invitations they may revoke and the access
    requests they may decide."""
    user_roles = roles(user)
    if not user_roles.authenticated:
        return queryset.none()
    if user_roles.national_admin:
        return queryset.filter(role__in=[Role.COORDINATOR, Role.ORGANISATION_EDITOR])
    return queryset.filter(
        Q(role=Role.COORDINATOR, partnership_id__in=user_roles.partnerships)
        | Q(role=Role.ORGANISATION_EDITOR, organisation_id__in=user_roles.organisations)
    )


def can_decide_access_request(user, access_request) -> bool:
    """Approve or decline: whoever may give the role, except the one who asked."""
    return access_request.user_id != getattr(user, "pk", None) and can_grant(
        user,
        access_request.role,
        partnership=access_request.partnership,
        organisation=access_request.organisation,
    )


def can_revoke_invitation(user, invitation) -> bool:
    """The one who invited, and whoever may give the same role, may revoke."""
    if not roles(user).authenticated:
        return False
    return invitation.invited_by_id == user.pk or can_grant(
        user,
        invitation.role,
        partnership=invitation.partnership,
        organisation=invitation.organisation,
    )


def can_request_access(user, *, email_verified: bool) -> bool:
    """Asking for a role takes a signed-in user whose e-mail address is verified
    (access.verification.is_verified): the answer goes there, and those who decide
    see an address that is theirs."""
    return roles(user).authenticated and email_verified


def holds_role(user, role: str, *, partnership=None, organisation=None) -> bool:
    """Whether the user already has this very role (nothing to ask for or accept)."""
    user_roles = roles(user)
    if role == Role.COORDINATOR and partnership is not None:
        return partnership.pk in user_roles.partnerships
    if role == Role.ORGANISATION_EDITOR and organisation is not None:
        return organisation.pk in user_roles.organisations
    return False
