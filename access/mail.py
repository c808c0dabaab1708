"""Sending the access app's mail through Django's mail (SMTP, or the console in
development), from a subject and a plain-text body template each, as the
password reset does (templates/accounts/password_reset_*.txt)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

logger = logging.getLogger("access")


def send(template: str, to: list[str], context: dict) -> None:
    """One message to each address in ``to`` from ``<template>_subject.txt`` and
    ``<template>.txt``. Errors are raised: the caller decides what a failure means."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    for address in to:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]).send()


def send_quietly(template: str, to: list[str], context: dict) -> bool:
    """As ``send``, for notices sent after a change was saved: a failure is logged
    and does not undo the change, which the pages show anyway."""
    try:
        send(template, to, context)
    except Exception:  # noqa: BLE001 - any mail failure; the change itself stands
        logger.exception("access.mail.failed template=%s", template)
        return False
    return True
