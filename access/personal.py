"""What invitations, access requests and verification keep about an account
(core.personal)."""

from __future__ import annotations

from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext as _

from core import personal

from .models import AccessRequest, Invitation, VerifiedEmail


@receiver(personal.collect)
def personal_data(sender, user, **kwargs) -> personal.Section | None:
    rows, lines = [], []
    verified = VerifiedEmail.objects.filter(user=user).first()
    if verified is not None:
        rows.append({"verified_email": verified.email, "verified": verified.verified_at})
        lines.append(_("Verified e-mail address: %(email)s") % {"email": verified.email})
    for request in AccessRequest.objects.filter(user=user).select_related(
        "partnership", "organisation"
    ):
        rows.append(
            {
                "access_request": request.get_role_display(),
                "for": str(request.scope),
                "reason": request.reason,
                "status": request.get_status_display(),
                "asked": request.created,
            }
        )
        lines.append(
            _("You asked to be “%(role)s” for %(scope)s: %(status)s")
            % {
                "role": request.get_role_display(),
                "scope": request.scope,
                "status": request.get_status_display(),
            }
        )
    for invitation in Invitation.objects.filter(accepted_by=user).select_related(
        "partnership", "organisation"
    ):
        rows.append(
            {
                "invitation_accepted": invitation.get_role_display(),
                "for": str(invitation.scope),
                "sent_to": invitation.email,
                "accepted": invitation.accepted_at,
            }
        )
        lines.append(
            _("You accepted an invitation to be “%(role)s” for %(scope)s")
            % {"role": invitation.get_role_display(), "scope": invitation.scope}
        )
    if not rows:
        return None
    return personal.Section("access", _("E-mail and access"), rows, lines)


@receiver(personal.erase)
def forget(sender, user, old_email: str = "", **kwargs) -> None:
    """The verified address goes; requests keep their decision but not the reason;
    invitations to the account's address keep their role but not the address."""
    VerifiedEmail.objects.filter(user=user).delete()
    AccessRequest.objects.filter(user=user).update(reason="", message="")
    sent_to_them = Q(accepted_by=user)
    if old_email:
        sent_to_them |= Q(email__iexact=old_email)
    Invitation.objects.filter(sent_to_them).update(email="")
