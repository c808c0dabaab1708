"""Rate limits with rates read from settings at request time (not at import),
so that operators set them by environment and tests can change them."""

from __future__ import annotations

from django.conf import settings
from rest_framework import throttling


class RatesFromSettings:
    def get_rate(self):
        return settings.UNIKOM_API_THROTTLE_RATES.get(self.scope)


class AnonThrottle(RatesFromSettings, throttling.AnonRateThrottle):
    pass


class UserThrottle(RatesFromSettings, throttling.UserRateThrottle):
    """Signed-in users only: DRF's user throttle counts an anonymous request by its
    address as well, so a visitor's request was written to two rate histories (a
    cache write each, half the time of a kept API read); ``AnonThrottle`` counts
    visitors."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
