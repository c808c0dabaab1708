"""Approving a new login: linking it to a person and the organisation they act for.

Until this happens the login's account is a plain reader, whatever its
provider claimed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Assignment, Role
from core import permissions
from organisations.models import Organisation, Person

from .models import LoginIdentity


def suggested_organisation(identity: LoginIdentity) -> Organisation | None:
    """The organisation the login's claims point at: its organisation number, else
    the e-mail domain matched against organisations' web sites (drammen.kommune.no).
    """
    if identity.org_number:
        found = Organisation.objects.filter(org_number=identity.org_number).first()
        if found:
            return found
    domain = identity.email_domain
    if not domain:
        return None
    for organisation in Organisation.objects.exclude(website="").only("pk", "website", "name"):
        host = (urlsplit(organisation.website).hostname or "").lower().removeprefix("www.")
        if host and (domain == host or domain.endswith("." + host)):
            return organisation
    return None


def candidate_people(identity: LoginIdentity) -> QuerySet[Person]:
    """People without an account whose name or e-mail address is the login's."""
    match = Q(pk__in=[])
    if identity.name:
        match |= Q(name__iexact=identity.name)
    if identity.email:
        match |= Q(email__iexact=identity.email)
    return Person.objects.filter(match, user__isnull=True)


@transaction.atomic
def approve(
    identity: LoginIdentity,
    *,
    by,
    person: Person | None,
    organisation: Organisation,
    editor: bool = False,
) -> LoginIdentity:
    """Link the login to ``person`` (a new, non-public person named as the login if
    None) and ``organisation``; with ``editor``, let it edit for that organisation.
    """
    if person is None:
        person = Person.objects.create(name=identity.name or str(identity.user), is_public=False)
    person.user = identity.user
    person.save()
    identity.person, identity.organisation = person, organisation
    identity.approved, identity.approved_by = timezone.now(), by
    identity.save()
    if editor:
        Assignment.objects.get_or_create(
            user=identity.user, role=Role.ORGANISATION_EDITOR, organisation=organisation
        )
        permissions.forget_roles(identity.user)
    return identity
