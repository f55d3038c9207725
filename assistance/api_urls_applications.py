"""API routes: applications."""

from union_portal.api.routers import PortalRouter

from . import api_applications as api

router = PortalRouter()
router.register("assistance/my/applications", api.MyApplicationViewSet, basename="assistance-my-application")
router.register("assistance/applications", api.StaffApplicationViewSet, basename="assistance-application")

urlpatterns = router.urls
