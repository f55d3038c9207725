"""Everything under /api/v1/: the core's own routes, then each installed app's ``<app>/api_urls.py``, found
through the app registry (the core names no domain app)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from union_portal.surveys import api as surveys_api

from ..appmodules import app_modules
from . import accounts, notifications, wechat
from .views import TokenRefreshView, TokenRevokeView, TokenView


def app_api_urls() -> list:
    """``path("api/v1/", include("<app>.api_urls"))`` for each installed app that has such a module, in
    INSTALLED_APPS order."""
    return [path("api/v1/", include(module)) for module in app_modules("api_urls", include_core=False)]


urlpatterns = [
    path("api/v1/auth/token/", TokenView.as_view(), name="api_token"),
    path("api/v1/auth/token/refresh/", TokenRefreshView.as_view(), name="api_token_refresh"),
    path("api/v1/auth/token/revoke/", TokenRevokeView.as_view(), name="api_token_revoke"),
    path("api/v1/auth/sms/code/", accounts.SmsCodeView.as_view(), name="api_sms_code"),
    path("api/v1/auth/sms/register/", accounts.SmsRegisterView.as_view(), name="api_sms_register"),
    path("api/v1/auth/sms/login/", accounts.SmsLoginView.as_view(), name="api_sms_login"),
    path("api/v1/auth/password/reset/", accounts.PasswordResetView.as_view(), name="api_password_reset"),
    path("api/v1/auth/mobile/", accounts.MobileChangeView.as_view(), name="api_mobile_change"),
    path("api/v1/surveys/", surveys_api.MySurveyList.as_view(), name="api_surveys"),
    path("api/v1/surveys/<int:pk>/answers/", surveys_api.SurveyAnswerView.as_view(), name="api_survey_answer"),
    path("api/v1/notifications/", notifications.NotificationList.as_view(), name="api_notifications"),
    path(
        "api/v1/notifications/read-all/",
        notifications.NotificationReadView.as_view(),
        name="api_notifications_read_all",
    ),
    path(
        "api/v1/notifications/<int:pk>/read/",
        notifications.NotificationReadView.as_view(),
        name="api_notification_read",
    ),
    path("api/v1/notifications/channels/", wechat.NotificationChannelsView.as_view(), name="api_notification_channels"),
    path("api/v1/wechat/", wechat.WechatBindingView.as_view(), name="api_wechat"),
    path("api/v1/wechat/consents/", wechat.WechatConsentView.as_view(), name="api_wechat_consents"),
    *app_api_urls(),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]
