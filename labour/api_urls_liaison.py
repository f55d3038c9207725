"""API routes: liaison."""

from union_portal.api.routers import PortalRouter

from .api_liaison import LiaisonAssignmentViewSet

router = PortalRouter()
router.register("labour/liaison-assignments", LiaisonAssignmentViewSet, basename="labour-liaison-assignment")

urlpatterns: list = router.urls
