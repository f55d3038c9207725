"""API routes: files."""

urlpatterns: list = []
