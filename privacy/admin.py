"""Erasure requests and the erasure log, for national administrators only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from core import permissions

from . import services
from .models import Erasure, ErasureRequest, Reason, RequestState


class NationalAdminOnly:
    """Seen and handled only by national administrators (core.permissions)."""

    def has_module_permission(self, request) -> bool:
        return permissions.roles(request.user).national_admin

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.roles(request.user).national_admin

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(NationalAdminOnly, admin.ModelAdmin):
    list_display = ["pk", "user", "created", "state", "handled_at"]
    list_filter = ["state"]
    readonly_fields = ["user", "created", "message", "state", "handled_at"]
    actions = ["erase_selected", "decline_selected"]

    def has_change_permission(self, request, obj=None) -> bool:
        return permissions.roles(request.user).national_admin

    @admin.action(description=gettext_lazy("Erase the accounts and people of these requests"))
    def erase_selected(self, request, queryset) -> None:
        done = 0
        for erasure_request in queryset.filter(state=RequestState.OPEN).select_related("user"):
            plan = services.plan_for_user(erasure_request.user)
            services.erase(plan, reason=Reason.REQUEST, by=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d request erased.", "%(count)d requests erased.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Decline these requests (nothing is erased)"))
    def decline_selected(self, request, queryset) -> None:
        count = queryset.filter(state=RequestState.OPEN).update(
            state=RequestState.DECLINED, handled_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext("%(count)d request declined.", "%(count)d requests declined.", count)
            % {"count": count},
        )


@admin.register(Erasure)
class ErasureAdmin(NationalAdminOnly, admin.ModelAdmin):
    list_display = ["erased_at", "pseudonym", "reason", "history_rows", "by"]
    list_filter = ["reason"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}
