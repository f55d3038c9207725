"""Routes of the labour app under /api/v1/: each part has its own api_urls_<part>.py."""

from . import api_urls_cases, api_urls_congress, api_urls_contracts, api_urls_liaison, api_urls_ratings

urlpatterns = [
    *api_urls_cases.urlpatterns,
    *api_urls_contracts.urlpatterns,
    *api_urls_ratings.urlpatterns,
    *api_urls_congress.urlpatterns,
    *api_urls_liaison.urlpatterns,
]
