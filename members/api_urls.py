from django.urls import path

from union_portal.api.routers import PortalRouter

from . import api

router = PortalRouter()
router.register("members", api.MemberViewSet, basename="api-member")

urlpatterns: list = [
    path("members/join/", api.JoinView.as_view({"post": "create", "get": "list"}), name="api-member-join"),
    path("cards/<str:code>/", api.CardCheckView.as_view(), name="api-card-check"),
    path("me/", api.MeView.as_view(), name="api-me"),
    *router.urls,
]
