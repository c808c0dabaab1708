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
    pass
