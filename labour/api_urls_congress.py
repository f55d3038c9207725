"""API routes: congress."""

from union_portal.api.routers import PortalRouter

from .api_congress import CongressSessionViewSet

router = PortalRouter()
router.register("labour/congress-sessions", CongressSessionViewSet, basename="labour-congress-session")

urlpatterns: list = router.urls
