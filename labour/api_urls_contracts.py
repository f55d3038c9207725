"""API routes: contracts."""

urlpatterns: list = []
