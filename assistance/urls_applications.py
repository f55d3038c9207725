"""Pages: applications."""

from django.urls import path

from . import views_applications as views

urlpatterns: list = [
    path("my/", views.my_assistance, name="my"),
    path("notices/", views.unit_notices, name="unit_notices"),
    path("rules/", views.rules_page, name="rules"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/reveal/", views.application_reveal, name="application_reveal"),
    path("applications/<int:pk>/visit/", views.application_visit, name="application_visit"),
    path("applications/<int:pk>/category/", views.application_category, name="application_category"),
    path("applications/<int:pk>/notice-finish/", views.application_notice_finish, name="application_notice_finish"),
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path("documents/<int:pk>/", views.document_view, name="document"),
]
