from django.urls import path

from . import api

urlpatterns = [
    path("dashboard/metrics/", api.MetricList.as_view(), name="api_dashboard_metrics"),
    path("dashboard/figures/", api.FigureList.as_view(), name="api_dashboard_figures"),
    path("surveys/", api.MySurveyList.as_view(), name="api_surveys"),
    path("surveys/<int:pk>/answers/", api.SurveyAnswerView.as_view(), name="api_survey_answer"),
    path("notifications/", api.NotificationList.as_view(), name="api_notifications"),
    path("notifications/read-all/", api.NotificationReadView.as_view(), name="api_notifications_read_all"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(), name="api_notification_read"),
]
