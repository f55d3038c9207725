"""Pages: harmonious-enterprise ratings."""

from django.urls import path

from . import views_ratings as views

urlpatterns = [
    path("ratings/", views.batch_list, name="rating_batch_list"),
    path("ratings/new/", views.batch_create, name="rating_batch_create"),
    path("ratings/<int:pk>/", views.batch_detail, name="rating_batch_detail"),
    path("ratings/<int:pk>/apply/", views.application_create, name="rating_create"),
    path("ratings/indicators/<int:pk>/", views.indicator_edit, name="rating_indicator_edit"),
    path("ratings/assessments/", views.application_list, name="rating_list"),
    path("ratings/assessments/<int:pk>/", views.application_detail, name="rating_detail"),
    path("ratings/assessments/<int:pk>/edit/", views.application_edit, name="rating_edit"),
    path("ratings/assessments/<int:pk>/evidence/", views.evidence_add, name="rating_evidence_add"),
    path("ratings/assessments/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="rating_evidence"),
    path("ratings/assessments/<int:pk>/submit/", views.application_submit, name="rating_submit"),
    path("ratings/assessments/<int:pk>/review/", views.application_review, name="rating_review"),
    path("ratings/assessments/<int:pk>/notice/", views.application_notice, name="rating_notice"),
    path("ratings/assessments/<int:pk>/name/", views.application_name, name="rating_name"),
    path("ratings/assessments/<int:pk>/not-named/", views.application_not_name, name="rating_not_name"),
    path("ratings/assessments/<int:pk>/withdraw/", views.title_withdraw, name="rating_withdraw"),
    path("ratings/objections/<int:pk>/", views.objection_detail, name="rating_objection"),
    path("ratings/public/", views.public_notices, name="rating_public_notices"),
    path("ratings/public/<int:pk>/", views.public_notice, name="rating_public_notice"),
    path("ratings/honours/", views.public_honours, name="rating_honours"),
]
