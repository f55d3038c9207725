"""API routes: congress."""

urlpatterns: list = []
