"""Pages of the labour app: each part has its own urls_<part>.py."""

from . import urls_cases, urls_congress, urls_contracts, urls_liaison, urls_ratings

app_name = "labour"

urlpatterns = [
    *urls_cases.urlpatterns,
    *urls_contracts.urlpatterns,
    *urls_ratings.urlpatterns,
    *urls_congress.urlpatterns,
    *urls_liaison.urlpatterns,
]
