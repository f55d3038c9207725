from union_portal.api.routers import PortalRouter

from .api import HonourViewSet, NominationViewSet, RoundViewSet

router = PortalRouter()
router.register("awards/rounds", RoundViewSet, basename="awards-round")
router.register("awards/nominations", NominationViewSet, basename="awards-nomination")
router.register("awards/honours", HonourViewSet, basename="awards-honour")

urlpatterns = router.urls
