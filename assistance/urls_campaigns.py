"""Pages: campaigns."""

from django.urls import path

from . import views_campaigns as views

urlpatterns: list = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/batch/", views.campaign_batch, name="campaign_batch"),
    path("campaigns/<int:pk>/<str:action>/", views.campaign_action, name="campaign_action"),
    path("recipients/", views.recipient_list, name="recipient_list"),
    path("recipients/<int:pk>/change/", views.recipient_change, name="recipient_change"),
    path("help-statistics/", views.help_statistics, name="help_statistics"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/export.<str:fmt>", views.batch_export, name="batch_export"),
    path("payments/<int:pk>/<str:action>/", views.payment_action, name="payment_action"),
    path("sheets/<int:pk>/pdf/", views.sheet_pdf, name="sheet_pdf"),
    path("sheets/<int:pk>/upload/", views.sheet_upload, name="sheet_upload"),
    path("my-help/", views.my_help, name="my_help"),
]
