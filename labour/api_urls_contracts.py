"""API routes: contracts."""

from union_portal.api.routers import PortalRouter

from .api_contracts import ContractViewSet, RoundViewSet

router = PortalRouter()
router.register("labour/contracts", ContractViewSet, basename="labour-contract")
router.register("labour/bargaining-rounds", RoundViewSet, basename="labour-bargaining-round")

urlpatterns = router.urls
