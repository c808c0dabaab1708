from django.contrib import admin

from .models import AccessRequest, Invitation, VerifiedEmail


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "partnership", "organisation", "invited_by", "created"]
    list_filter = ["role"]
    search_fields = ["email", "partnership__name", "organisation__name"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):  # invitations are made on the site, with a mail
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "partnership", "organisation", "status", "created"]
    list_filter = ["status", "role"]
    search_fields = ["user__username", "partnership__name", "organisation__name"]
    readonly_fields = [f.name for f in AccessRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(VerifiedEmail)
class VerifiedEmailAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "verified_at"]
    search_fields = ["user__username", "email"]
