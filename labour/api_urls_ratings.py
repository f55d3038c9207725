"""API routes: ratings."""

urlpatterns: list = []
