"""Read-only admin for inspection: every change goes through the services (audit, locks, transitions)."""

from django.contrib import admin

from union_portal.admin import ReadOnlyAdmin

from .models import Nomination, Round


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "status", "notice_starts", "notice_ends"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["candidate_name", "award_type", "org", "status"]
    list_filter = ["status", "round"]
    search_fields = ["candidate_name"]
    exclude = ["person_hash"]
