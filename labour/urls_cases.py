"""Pages: cases."""

from django.urls import path

from . import views_cases as views

urlpatterns: list = [
    path("cases/mine/", views.my_cases, name="my_cases"),
    path("cases/mine/new/", views.case_new, name="case_new"),
    path("cases/mine/<int:pk>/", views.my_case, name="my_case"),
    path("cases/mine/<int:pk>/rate/", views.case_rate, name="case_rate"),
    path("cases/follow/<str:token>/", views.case_follow, name="case_follow"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/hotline/", views.case_hotline, name="case_hotline"),
    path("cases/lawyers/", views.lawyer_list, name="lawyer_list"),
    path("cases/settings/", views.case_settings, name="case_settings"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/pdf/", views.case_pdf, name="case_pdf"),
    path("cases/<int:pk>/documents/<int:doc_pk>/", views.case_document, name="case_document"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
]
