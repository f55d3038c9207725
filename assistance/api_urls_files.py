"""API routes: files."""

from union_portal.api.routers import PortalRouter

from . import api_files

router = PortalRouter()
router.register("assistance/files", api_files.StaffFileViewSet, basename="assistance-file")

urlpatterns: list = [*router.urls]
