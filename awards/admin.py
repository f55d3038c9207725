"""Read-only admin for inspection: every change goes through the services (audit, locks, transitions)."""

from django.contrib import admin

from .models import HolidayDay, Nomination, Round


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "status", "notice_starts", "notice_ends"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["candidate_name", "award_type", "org", "status"]
    list_filter = ["status", "round"]
    search_fields = ["candidate_name"]
    exclude = ["person_hash"]


@admin.register(HolidayDay)
class HolidayDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "is_workday", "name", "source"]
