from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import twofactor, views
from .forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/2fa/setup/", twofactor.setup, name="twofactor_setup"),
    path("accounts/2fa/verify/", twofactor.verify, name="twofactor_verify"),
    path("accounts/2fa/recovery-codes/", twofactor.recovery_codes, name="twofactor_recovery_codes"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
    path("inbox/", views.inbox, name="inbox"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("members/", include("members.urls")),
    path("mutual-aid/", include("mutual_aid.urls")),
    path("competitions/", include("competitions.urls")),
    path("awards/", include("awards.urls")),
    path("dashboard/", include("union_portal.dashboard.urls")),
    path("", include("union_portal.api.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
