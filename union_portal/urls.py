from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import twofactor, views, views_accounts, views_selfservice

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/login/", views_selfservice.LoginView.as_view(), name="login"),
    path("accounts/register/", views_selfservice.register, name="register"),
    path("accounts/password/reset/", views_selfservice.password_reset_sms, name="password_reset_sms"),
    path("accounts/mobile/", views_selfservice.mobile_change, name="mobile_change"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views_accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/large-text/", views.large_text, name="large_text"),
    path("accounts/api-tokens/", views_accounts.api_tokens, name="api_tokens"),
    path("accounts/notifications/", views_accounts.notification_channels, name="notification_channels"),
    path("accounts/2fa/setup/", twofactor.setup, name="twofactor_setup"),
    path("accounts/2fa/enrol/<str:token>/", twofactor.enrol, name="twofactor_enrol"),
    path("accounts/2fa/verify/", twofactor.verify, name="twofactor_verify"),
    path("accounts/2fa/recovery-codes/", twofactor.recovery_codes, name="twofactor_recovery_codes"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
    path("inbox/", views.inbox, name="inbox"),
    path("staff/", views_accounts.staff_list, name="staff_list"),
    path("staff/new/", views_accounts.staff_new, name="staff_new"),
    path("staff/<int:pk>/", views_accounts.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/roles/<int:assignment_id>/withdraw/", views_accounts.staff_withdraw, name="staff_withdraw"),
    path("staff/<int:pk>/<slug:action>/", views_accounts.staff_action, name="staff_action"),
    path("", include("union_portal.surveys.urls")),
    path("", include("union_portal.payments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("members/funds/", include("funds.urls")),
    path("members/", include("members.urls")),
    path("", include("members.urls_short")),
    path("mutual-aid/", include("mutual_aid.urls")),
    path("competitions/", include("competitions.urls")),
    path("awards/", include("awards.urls")),
    path("assistance/", include("assistance.urls")),
    path("labour/", include("labour.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("union_portal.api.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# Under /api/ these answer the API's JSON error shape (union_portal.api.errors), elsewhere Django's pages.
handler400 = "union_portal.api.errors.bad_request"
handler403 = "union_portal.api.errors.permission_denied"
handler404 = "union_portal.api.errors.page_not_found"
handler500 = "union_portal.views.server_error"
