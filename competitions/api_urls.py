from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("competitions/assignments", api.AssignmentViewSet, basename="competitions-assignment")

urlpatterns = [
    path(
        "competitions/campaigns/<int:pk>/leaderboard/", api.LeaderboardView.as_view(), name="competitions-leaderboard"
    ),
    *router.urls,
]
