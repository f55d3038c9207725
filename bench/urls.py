"""The benchmark's urlconf: the portal's URLs plus the anchor views (used only while the benchmark runs)."""

from django.urls import path

from union_portal.urls import urlpatterns as portal_urlpatterns

from . import views

BARE_URL_NAME = "bench_bare"
HELLO_URL_NAME = "bench_hello"

urlpatterns = [
    path("__bench__/bare/", views.bare, name=BARE_URL_NAME),
    path("__bench__/hello/", views.hello, name=HELLO_URL_NAME),
    *portal_urlpatterns,
]
