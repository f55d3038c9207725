from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("members", api.MemberViewSet, basename="api-member")

urlpatterns: list = [
    path("members/join/", api.JoinView.as_view({"post": "create"}), name="api-member-join"),
    path("me/", api.MeView.as_view(), name="api-me"),
    *router.urls,
]
