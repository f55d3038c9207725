"""Read-only admin for inspection: every change goes through the services (ledger, audit, locks)."""

from django.contrib import admin

from union_portal.admin import ReadOnlyAdmin

from .models import AllocationRatioSet, FoundingReserveHandover, FundsCollection, JournalEntry, LedgerAccount


@admin.register(AllocationRatioSet)
class AllocationRatioSetAdmin(ReadOnlyAdmin):
    list_display = ["district", "effective_from", "grassroots_pct", "district_pct", "city_pct"]


@admin.register(FundsCollection)
class FundsCollectionAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "period", "amount", "collected_on"]
    raw_id_fields = ["enterprise"]


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["org", "kind", "level"]


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["posted_at", "kind", "district", "period", "memo"]


@admin.register(FoundingReserveHandover)
class FoundingReserveHandoverAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "union", "amount", "created_at"]
