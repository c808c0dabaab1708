"""Invitations and access requests: every change they make, in one transaction
each, callable by views and tests alike.

Who may do what is asked of ``core.permissions``; a refusal raises
``AccessError`` with a message for the user. Creating the role writes the
assignment's history, naming who gave it (the inviter or the approver) and why.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Assignment, Role
from core import permissions

from .mail import send, send_quietly
from .models import AccessRequest, Invitation, token_digest
from .verification import is_verified, mark_verified, verified_address, verified_addresses

logger = logging.getLogger("access")

#: The assignments' history reasons (not translated, like "unikom roles grant").
INVITATION_REASON = "invitation accepted"
REQUEST_REASON = "access request approved"


class AccessError(Exception):
    """A refused change; ``str()`` is the message for the user."""


def invitation_days() -> int:
    return settings.UNIKOM_INVITATION_DAYS


def _scope_fields(role: str, partnership, organisation) -> dict:
    if role == Role.COORDINATOR:
        return {"role": role, "partnership": partnership, "organisation": None}
    return {"role": role, "partnership": None, "organisation": organisation}


def _grant(user, fields: dict, *, by, reason: str) -> Assignment | None:
    """The assignment (with its history entry), or None if the user had the role."""
    if Assignment.objects.filter(user=user, **fields).exists():
        return None
    assignment = Assignment(user=user, **fields)
    assignment._history_user = by
    assignment._change_reason = reason
    assignment.save()
    permissions.forget_roles(user)
    return assignment


# --- Invitations ---------------------------------------------------------------


def invitation_path(token: str) -> str:
    return reverse("access:invitation", kwargs={"token": token})


def invite(
    inviter, email: str, role: str, *, partnership=None, organisation=None, base_url: str
) -> Invitation:
    """Offer a role to an address: store the invitation and mail its link there.

    The mail goes out inside the transaction: if it cannot be sent, nothing is
    stored (the link exists only in that mail).
    """
    fields = _scope_fields(role, partnership, organisation)
    if not permissions.can_grant(
        inviter, role, partnership=fields["partnership"], organisation=fields["organisation"]
    ):
        raise AccessError(_("You may not give this role."))
    email = get_user_model().objects.normalize_email(email.strip())
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            token_digest=token_digest(token),
            invited_by=inviter,
            expires_at=timezone.now() + timedelta(days=invitation_days()),
            **fields,
        )
        send(
            "access/email/invitation",
            [email],
            {
                "invitation": invitation,
                "inviter": inviter,
                "link": base_url + invitation_path(token),
                "days": invitation_days(),
            },
        )
    logger.info(
        "access.invitation.sent id=%s by=%s role=%s scope=%s",
        invitation.pk,
        inviter.get_username(),
        role,
        invitation.scope,
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("partnership", "organisation", "invited_by")
        .filter(token_digest=token_digest(token))
        .first()
    )


def invitation_problem(invitation: Invitation | None, user=None) -> str:
    """Why this link cannot be used (by ``user``, when signed in), or ''."""
    if invitation is None:
        return _("This invitation link is not valid. Check that you copied all of it.")
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        return _("This invitation has already been used. Each invitation link works once.")
    if status == Invitation.Status.REVOKED:
        return _("This invitation has been withdrawn by the people who sent it.")
    if status == Invitation.Status.EXPIRED:
        return _("This invitation has expired. Ask the person who invited you for a new one.")
    scope = invitation.scope
    if scope is None or getattr(scope, "deleted_at", None) is not None:
        return _("This invitation is for a partnership that is no longer in the registry.")
    if invitation.invited_by is None or not permissions.can_grant(
        invitation.invited_by, invitation.role, **_target(invitation)
    ):
        return _("The person who sent this invitation may no longer give this role.")
    signed_in = user is not None and user.is_authenticated
    if signed_in and (user.email or "").lower() != invitation.email.lower():
        return _(
            "This invitation was sent to another e-mail address than your account's. "
            "Sign out, and sign in with the account for that address or create one."
        )
    return ""


def _target(row) -> dict:
    return {"partnership": row.partnership, "organisation": row.organisation}


def _locked_invitation(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("partnership", "organisation", "invited_by")
        .get(pk=invitation.pk)
    )


def accept_invitation(invitation: Invitation, user) -> Assignment | None:
    """The signed-in ``user`` takes the role; the invitation is used up, and the
    address it was sent to (the account's) counts as verified."""
    with transaction.atomic():
        invitation = _locked_invitation(invitation)
        problem = invitation_problem(invitation, user)
        if problem:
            raise AccessError(problem)
        assignment = _grant(
            user, invitation.assignment_fields(), by=invitation.invited_by, reason=INVITATION_REASON
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        if not is_verified(user):
            mark_verified(user)
    logger.info("access.invitation.accepted id=%s user=%s", invitation.pk, user.get_username())
    return assignment


def create_account_and_accept(invitation: Invitation, username: str, password: str):
    """A new local account for the invited address, with the role: (user, assignment).

    The form has checked the username and the password (Django's validators)."""
    with transaction.atomic():
        invitation = _locked_invitation(invitation)
        problem = invitation_problem(invitation)
        if problem:
            raise AccessError(problem)
        User = get_user_model()  # noqa: N806
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise AccessError(
                _("There is already an account for this e-mail address: sign in to accept.")
            )
        try:
            with transaction.atomic():
                user = User.objects.create_user(username, invitation.email, password)
        except IntegrityError:
            raise AccessError(_("This username is taken. Choose another.")) from None
        mark_verified(user)
        logger.info("access.account.created user=%s invitation=%s", username, invitation.pk)
        assignment = accept_invitation(invitation, user)
    return user, assignment


def revoke_invitation(invitation: Invitation, user) -> None:
    with transaction.atomic():
        invitation = _locked_invitation(invitation)
        if not permissions.can_revoke_invitation(user, invitation):
            raise AccessError(_("You may not withdraw this invitation."))
        if invitation.status != Invitation.Status.PENDING:
            raise AccessError(_("This invitation is no longer pending."))
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = user
        invitation.save(update_fields=["revoked_at", "revoked_by"])
    logger.info("access.invitation.revoked id=%s by=%s", invitation.pk, user.get_username())


def pending_invitations(user):
    """The pending invitations the user may see and withdraw."""
    mine = Invitation.objects.filter(invited_by=user)
    theirs = permissions.grantable(user, Invitation.objects.all())
    return (
        Invitation.objects.pending()
        .filter(Q(pk__in=mine.values("pk")) | Q(pk__in=theirs.values("pk")))
        .select_related("partnership", "organisation", "invited_by")
    )


# --- Access requests -----------------------------------------------------------


def deciders(access_request: AccessRequest) -> list[str]:
    """The verified addresses of those who may decide: the partnership's
    coordinators or the organisation's editors, and every national administrator."""
    User = get_user_model()  # noqa: N806
    if access_request.role == Role.COORDINATOR:
        scope = Q(
            assignments__role=Role.COORDINATOR, assignments__partnership=access_request.partnership
        )
    else:
        scope = Q(
            assignments__role=Role.ORGANISATION_EDITOR,
            assignments__organisation=access_request.organisation,
        )
    return verified_addresses(
        User.objects.filter(
            scope | Q(assignments__role=Role.NATIONAL_ADMIN) | Q(is_superuser=True)
        ).exclude(pk=access_request.user_id)
    )


def request_access(
    user, role: str, *, partnership=None, organisation=None, reason: str, base_url: str
) -> AccessRequest:
    """Ask for a role; those who may give it get an e-mail."""
    fields = _scope_fields(role, partnership, organisation)
    if not permissions.can_request_access(user, email_verified=is_verified(user)):
        raise AccessError(_("Verify your e-mail address before you ask for a role."))
    target = {"partnership": fields["partnership"], "organisation": fields["organisation"]}
    if permissions.holds_role(user, role, **target):
        raise AccessError(_("You have this role already."))
    try:
        with transaction.atomic():
            access_request = AccessRequest.objects.create(
                user=user, reason=reason.strip(), **fields
            )
    except IntegrityError:
        raise AccessError(_("You have already asked for this role.")) from None
    logger.info(
        "access.request.created id=%s user=%s role=%s scope=%s",
        access_request.pk,
        user.get_username(),
        role,
        access_request.scope,
    )
    send_quietly(
        "access/email/request",
        deciders(access_request),
        {"request": access_request, "link": base_url + reverse("access:requests")},
    )
    return access_request


def _decide(access_request: AccessRequest, user, status: str, message: str) -> AccessRequest:
    with transaction.atomic():
        access_request = (
            AccessRequest.objects.select_for_update(of=("self",))
            .select_related("partnership", "organisation", "user")
            .get(pk=access_request.pk)
        )
        if access_request.user_id == user.pk:
            raise AccessError(_("You may not decide your own request."))
        if not permissions.can_decide_access_request(user, access_request):
            raise AccessError(_("You may not decide this request."))
        if access_request.status != AccessRequest.Status.PENDING:
            raise AccessError(_("This request has already been decided."))
        access_request.status = status
        access_request.decided_at = timezone.now()
        access_request.decided_by = user
        access_request.message = message.strip()
        access_request.save(update_fields=["status", "decided_at", "decided_by", "message"])
        if status == AccessRequest.Status.APPROVED:
            _grant(
                access_request.user,
                access_request.assignment_fields(),
                by=user,
                reason=REQUEST_REASON,
            )
    logger.info(
        "access.request.%s id=%s by=%s user=%s",
        status,
        access_request.pk,
        user.get_username(),
        access_request.user.get_username(),
    )
    return access_request


def _tell_requester(access_request: AccessRequest, base_url: str) -> None:
    address = verified_address(access_request.user)
    if address:
        send_quietly(
            "access/email/decision",
            [address],
            {"request": access_request, "link": base_url + reverse("accounts:me")},
        )


def approve(access_request: AccessRequest, user, *, message: str = "", base_url: str):
    access_request = _decide(access_request, user, AccessRequest.Status.APPROVED, message)
    _tell_requester(access_request, base_url)
    return access_request


def decline(access_request: AccessRequest, user, *, message: str = "", base_url: str):
    access_request = _decide(access_request, user, AccessRequest.Status.DECLINED, message)
    _tell_requester(access_request, base_url)
    return access_request


def requests_to_decide(user):
    """The pending requests the user may approve or decline (never their own)."""
    return (
        permissions.grantable(
            user, AccessRequest.objects.filter(status=AccessRequest.Status.PENDING)
        )
        .exclude(user=user)
        .select_related("partnership", "organisation", "user")
    )
