from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Campaign,
    Criterion,
    Group,
    Honour,
    JudgeAssignment,
    JudgeProfile,
    Period,
    Result,
    SafetyReport,
    Score,
    Team,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "year", "org"]
    list_filter = ["kind", "year"]
    inlines = [CriterionInline]
    raw_id_fields = ["org", "created_by"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "group", "kind", "serious_accident"]
    list_filter = ["campaign"]
    raw_id_fields = ["org", "enterprise", "member"]
    readonly_fields = ["tie_breaker"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["campaign", "name", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    # status changes go through the services (close, release, reopen), never through the admin
    readonly_fields = ["status", "closed_at", "released_at"]


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "criterion", "value", "updated_at"]
    readonly_fields = ["assignment", "criterion", "value"]


admin.site.register([Group, JudgeProfile, JudgeAssignment, Result, Honour, SafetyReport])
