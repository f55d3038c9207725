"""Everything under /api/v1/. Each app adds its routes in ``<app>/api_urls.py``."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import TokenView

urlpatterns = [
    path("api/v1/auth/token/", TokenView.as_view(), name="api_token"),
    path("api/v1/", include("members.api_urls")),
    path("api/v1/", include("mutual_aid.api_urls")),
    path("api/v1/", include("competitions.api_urls")),
    path("api/v1/", include("awards.api_urls")),
    path("api/v1/", include("union_portal.dashboard.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]
