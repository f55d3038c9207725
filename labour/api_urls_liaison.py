"""API routes: liaison."""

urlpatterns: list = []
