from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("payments/layouts/", views.layout_list, name="layout_list"),
    path("payments/layouts/new/", views.layout_edit, name="layout_new"),
    path("payments/layouts/<int:pk>/", views.layout_edit, name="layout_edit"),
    path("payments/layouts/<int:pk>/verify/", views.layout_verify, name="layout_verify"),
    path("payments/settings/", views.payment_settings, name="settings"),
]
