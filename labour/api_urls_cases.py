"""API routes: cases."""

from union_portal.api.routers import PortalRouter

from . import api_cases

router = PortalRouter()
router.register("labour/my/cases", api_cases.MyCaseViewSet, basename="labour-my-case")
router.register("labour/cases", api_cases.StaffCaseViewSet, basename="labour-case")

urlpatterns: list = [*router.urls]
