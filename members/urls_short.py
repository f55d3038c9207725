"""The membership card's short verify link at the site's root (``/v/<code>``): short for the QR code."""

from django.urls import path

from . import views

app_name = "card"

urlpatterns = [
    path("v/<str:code>", views.card_verify_short, name="verify"),
]
