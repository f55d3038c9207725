from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/types/", views.round_type_add, name="round_type_add"),
    path("rounds/<int:pk>/quotas/", views.round_quota_set, name="round_quota_set"),
    path("rounds/<int:pk>/dates/", views.round_dates, name="round_dates"),
    path("rounds/<int:pk>/rules/<int:rule_pk>/", views.round_rule, name="round_rule"),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/notice/", views.round_notice, name="round_notice"),
    path("rounds/<int:pk>/approve/", views.round_approve, name="round_approve"),
    path("rounds/<int:pk>/certificates.zip", views.round_certificates, name="round_certificates"),
    path("rounds/<int:pk>/nominate/", views.nomination_create, name="nomination_create"),
    path("rounds/<int:pk>/nominate/preview/", views.nomination_preview, name="nomination_preview"),
    path("nominations/", views.nomination_list, name="nomination_list"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/submit/", views.nomination_submit, name="nomination_submit"),
    path("nominations/<int:pk>/review/", views.nomination_review, name="nomination_review"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/files/<str:which>/", views.nomination_file, name="nomination_file"),
    path("nominations/<int:pk>/certificate.pdf", views.nomination_certificate, name="nomination_certificate"),
    path("objections/", views.objection_list, name="objection_list"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("holidays/", views.holiday_list, name="holiday_list"),
    path("holidays/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
    path("public/notices/", views.public_notices, name="public_notices"),
    path("public/notices/<int:pk>/", views.public_notice, name="public_notice"),
    path("public/objection/<int:pk>/", views.public_objection, name="public_objection"),
    path("public/honours/", views.public_honours, name="public_honours"),
]
