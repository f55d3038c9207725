from django.urls import path

from union_portal.api.routers import PortalRouter

from . import api

router = PortalRouter()
router.register("competitions/assignments", api.AssignmentViewSet, basename="competitions-assignment")

urlpatterns = [
    path(
        "competitions/campaigns/<int:pk>/leaderboard/", api.LeaderboardView.as_view(), name="competitions-leaderboard"
    ),
    *router.urls,
]
