from django.urls import path

from . import api

urlpatterns = [
    path("dashboard/metrics/", api.MetricList.as_view(), name="api_dashboard_metrics"),
    path("dashboard/figures/", api.FigureList.as_view(), name="api_dashboard_figures"),
]
