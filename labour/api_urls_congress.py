"""API routes: congress."""

from union_portal.api.routers import PortalRouter

from .api_congress import SessionViewSet

router = PortalRouter()
router.register("labour/congress-sessions", SessionViewSet, basename="labour-congress-session")

urlpatterns: list = router.urls
