from django.urls import path

from union_portal.api.routers import PortalRouter

from . import api

router = PortalRouter()
router.register("mutual-aid/my/claims", api.MyClaimViewSet, basename="mutual-aid-my-claim")
router.register("mutual-aid/claims", api.StaffClaimViewSet, basename="mutual-aid-claim")

urlpatterns = [
    path("mutual-aid/estimate/", api.EstimateView.as_view(), name="mutual-aid-estimate"),
    *router.urls,
]
