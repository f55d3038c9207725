"""Pages of the assistance app: each part has its own urls_<part>.py."""

from . import urls_applications, urls_campaigns, urls_files

app_name = "assistance"

urlpatterns = [
    *urls_applications.urlpatterns,
    *urls_files.urlpatterns,
    *urls_campaigns.urlpatterns,
]
