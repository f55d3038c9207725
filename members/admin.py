from django.contrib import admin

from .models import Enterprise, FoundingApplication, MemberImport, MemberTransfer


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "township", "union", "employee_count"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["township", "union"]


@admin.register(FoundingApplication)
class FoundingApplicationAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "township", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["enterprise", "township", "union", "decided_by", "submitted_by"]


@admin.register(MemberTransfer)
class MemberTransferAdmin(admin.ModelAdmin):
    list_display = ["member", "from_org", "to_org", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["member", "from_org", "to_org", "to_enterprise", "requested_by", "decided_by", "join_application"]


@admin.register(MemberImport)
class MemberImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "org", "status", "total", "created_count", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["org", "by"]
    exclude = ["errors"]
