# django-otp's device pages show each TOTP key (and its QR code) and every recovery code: import them first,
# then put read-only pages without any secret in their place.
import django_otp.plugins.otp_static.admin  # noqa: F401
import django_otp.plugins.otp_totp.admin  # noqa: F401
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import AuditLog, HolidayDay, OrgUnit, RoleAssignment, User
from .notices.models import Objection, PublicNotice
from .payments.models import Payment, PaymentBatch


class ReadOnlyAdmin(admin.ModelAdmin):
    """For inspection only: every change goes through the services (audit, locks, transitions)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleAssignmentInline(admin.TabularInline):
    """Nobody changes their own roles, not even a superuser here (the staff pages refuse it too)."""

    model = RoleAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ["node"]
    exclude = ["created_by"]

    def _own(self, request, obj) -> bool:
        return obj is not None and obj.pk == request.user.pk

    def has_add_permission(self, request, obj=None):
        return not self._own(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._own(request, obj) and super().has_delete_permission(request, obj)


class DeviceAdmin(ReadOnlyAdmin):
    """Who has an authenticator or recovery codes, and when it was last used: never its key or codes. A lost
    device is reset on the account's staff page (audited)."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__username"]


for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
    admin.site.register(_device_model, DeviceAdmin)


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ["name", "code", "kind", "status"]
    search_fields = ["name", "code"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Portal", {"fields": ("full_name", "mobile")}))


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "object_repr", "result", "ip"]
    list_filter = ["result"]
    search_fields = ["actor_name", "action", "object_repr"]


@admin.register(HolidayDay)
class HolidayDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "is_workday", "name", "source"]


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
