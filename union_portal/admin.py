from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AuditLog, RoleAssignment, User
from .notices.models import Objection, PublicNotice
from .payments.models import Payment, PaymentBatch


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ["node"]
    exclude = ["created_by"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
    fieldsets = (*UserAdmin.fieldsets, ("Portal", {"fields": ("full_name", "mobile")}))


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "object_repr", "result", "ip"]
    list_filter = ["result"]
    search_fields = ["actor_name", "action", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Inspection only: every change goes through the services (audit, locks, transitions)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "org", "status", "starts_on", "ends_on"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["notice", "name", "status", "created_at"]
    exclude = ["phone"]


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "app_label", "org", "status", "total", "created_at"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["batch", "account_name", "amount", "status", "bank_reference"]
    exclude = ["bank_account"]
