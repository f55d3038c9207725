"""The benchmark's urlconf: the portal's URLs plus the anchor view (used only while the benchmark runs)."""

from django.urls import path

from union_portal.urls import urlpatterns as portal_urlpatterns

from . import views

BARE_URL_NAME = "bench_bare"

urlpatterns = [path("__bench__/bare/", views.bare, name=BARE_URL_NAME), *portal_urlpatterns]
