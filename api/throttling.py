"""Rate limits with rates read from settings at request time (not at import),
so that operators set them by environment and tests can change them.

DRF's throttles keep, per client, the time of every request in the period (up
to the rate's number) and write the whole list back on every request, so a
request costs more the higher the rate. ``WindowCount`` keeps two numbers per
client instead: when its window began (its first request after the last window
ended) and how many requests it has made since. A refused request is only read,
never written.
"""

from __future__ import annotations

import math

from django.conf import settings
from rest_framework import throttling

from core.net import client_address


class WindowCount:
    """Up to the rate's number of requests in each window of the rate's period,
    which starts at the client's first request after the previous one ended."""

    def get_rate(self):
        return settings.UNIKOM_API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        """The client's address as core.net reads it (trusted proxies only)."""
        return client_address(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        self.started, count = self.cache.get(self.key) or (self.now, 0)
        if self.now - self.started >= self.duration:
            self.started, count = self.now, 0
        if count >= self.num_requests:
            return self.throttle_failure()
        left = math.ceil(self.started + self.duration - self.now)
        self.cache.set(self.key, (self.started, count + 1), max(left, 1))
        return True

    def wait(self):
        """Seconds until the window ends (the answer's Retry-After)."""
        return max(0.0, self.started + self.duration - self.now)


class AnonThrottle(WindowCount, throttling.AnonRateThrottle):
    pass


class UserThrottle(WindowCount, throttling.UserRateThrottle):
    """Signed-in users only: DRF's user throttle counts an anonymous request by its
    address as well, so a visitor's request was written to two rate histories (a
    cache write each, half the time of a kept API read); ``AnonThrottle`` counts
    visitors."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
