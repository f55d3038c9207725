"""API routes: campaigns."""

urlpatterns: list = []
