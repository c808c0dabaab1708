"""A second factor at sign-in: a time-based one-time code (TOTP) from an app.

Any user may turn it on; administrators (staff, superusers and national
administrators) must use it when ``UNIKOM_ADMIN_TOTP`` is on (the default in
production). Until a user who needs it has entered a code in this session,
every page but the code page itself, signing out and static files sends them
to the code page; the API answers 403. Codes come from django-otp's TOTP
devices, which refuse a code used before and slow down guessing.
"""

from __future__ import annotations

import logging
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.errors import error_body
from core import permissions, personal

log = logging.getLogger("unikom.accounts")

#: Session key: this sign-in needs a code (the user has a confirmed device).
CHOSEN = "unikom_second_factor"
#: The one device name a user's authenticator app is enrolled under.
DEVICE_NAME = "unikom"


def is_administrator(user) -> bool:
    return bool(user.is_staff or user.is_superuser or permissions.roles(user).national_admin)


def required(user) -> bool:
    """Must this user use a second factor, whether or not they chose it?"""
    return bool(settings.UNIKOM_ADMIN_TOTP and user.is_authenticated and is_administrator(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending(request: HttpRequest) -> bool:
    """Is this session signed in but still waiting for its code?"""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return bool(request.session.get(CHOSEN)) or required(user)


@receiver(user_logged_in)
def remember_choice(sender, request, user, **kwargs) -> None:
    """A user who enrolled an app gives a code at every sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[CHOSEN] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user) -> TOTPDevice:
    """The user's device still waiting for its first code, made if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The device's key as a QR code (SVG markup) for an authenticator app to scan."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    return out.getvalue().decode().split("?>", 1)[-1].strip()


def check_code(request: HttpRequest, device: TOTPDevice, code: str) -> str | None:
    """Verify ``code`` and mark the session verified; an error message if refused."""
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        log.warning("second factor: too many wrong codes for user id %s", device.user_id)
        return _("Too many wrong codes. Wait a minute and try the newest code from your app.")
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == device.digits and device.verify_token(code)):
        log.warning("second factor: wrong code for user id %s", device.user_id)
        return _("That code is wrong or has expired. Enter the newest code from your app.")
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        log.info("second factor: app enrolled for user id %s", device.user_id)
    otp_login(request, device)
    request.session[CHOSEN] = True
    log.info("second factor: verified for user id %s", device.user_id)
    return None


def turn_off(user) -> bool:
    """Remove the user's devices, unless they must use one. True if removed."""
    if required(user):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    log.info("second factor: turned off by user id %s", user.pk)
    return True


#: Paths a session waiting for its code may still reach.
OPEN_PATHS = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/healthz", "/i18n/")


class SecondFactorMiddleware:
    """Sends a signed-in session that still owes its code to the code page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path.startswith(OPEN_PATHS) or not pending(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            detail = _("Enter the code from your authenticator app at %(url)s first.") % {
                "url": reverse("accounts:two_factor")
            }
            return JsonResponse(error_body(403, "second_factor_required", detail), status=403)
        target = reverse("accounts:two_factor")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


@receiver(personal.collect)
def personal_data(sender, user, **kwargs) -> personal.Section | None:
    """Whether the user has an authenticator app enrolled (never its key)."""
    devices = list(TOTPDevice.objects.filter(user=user).order_by("pk"))
    if not devices:
        return None
    rows = [
        {"confirmed": d.confirmed, "created": d.created_at, "last_used": d.last_used_at}
        for d in devices
    ]
    lines = [
        _("An authenticator app, enrolled %(created)s") % {"created": d.created_at.date()}
        if d.confirmed
        else _("An authenticator app waiting for its first code")
        for d in devices
    ]
    return personal.Section("two_step_sign_in", _("Two-step sign-in"), rows, lines)


@receiver(personal.erase)
def forget(sender, user, **kwargs) -> None:
    TOTPDevice.objects.filter(user=user).delete()
