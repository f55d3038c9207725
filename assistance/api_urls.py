"""Routes of the assistance app under /api/v1/: each part has its own api_urls_<part>.py."""

from . import api_urls_applications, api_urls_campaigns, api_urls_files

urlpatterns = [
    *api_urls_applications.urlpatterns,
    *api_urls_files.urlpatterns,
    *api_urls_campaigns.urlpatterns,
]
