"""API routes: applications."""

urlpatterns: list = []
