"""Editing through the Django admin; every change is kept in history
(django-simple-history: who, when and which values)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agreement,
    Anchoring,
    Body,
    Membership,
    Partnership,
    Plan,
    ReportedResult,
    ResearchBudget,
    Source,
    Statement,
    Theme,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "valid_from", "valid_to", "hosts_campus", "note"]


class AgreementInline(admin.StackedInline):
    model = Agreement
    extra = 0


class AnchoringInline(admin.TabularInline):
    model = Anchoring
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = [
        "organisation",
        "party_label",
        "level",
        "absent",
        "evidence",
        "body",
        "year",
        "description",
    ]


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0


class PlanInline(admin.TabularInline):
    model = Plan
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "name", "kind", "adopted_by", "politically_adopted", "year"]


class ReportedResultInline(admin.TabularInline):
    model = ReportedResult
    extra = 0


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    autocomplete_fields = ["organisation"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "initiative", "maturity", "roots_display", "agreement_display"]
    list_filter = ["kind", "initiative", "maturity", "status", "themes"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes"]
    inlines = [
        MembershipInline,
        AgreementInline,
        AnchoringInline,
        BodyInline,
        PlanInline,
        ReportedResultInline,
        StatementInline,
        SourceInline,
    ]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


for model in (Membership, Agreement, Anchoring, Body, Plan, ReportedResult):
    admin.site.register(model, SimpleHistoryAdmin)


@admin.register(ResearchBudget)
class ResearchBudgetAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "year", "operating_budget_nok", "research_amount_nok"]
    list_filter = ["year"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
