from django.urls import path

from . import views

app_name = "mutual_aid"

urlpatterns = [
    path("", views.my_aid, name="my_aid"),
    path("estimate/", views.estimate, name="estimate"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/letter.pdf", views.claim_letter, name="claim_letter"),
    path("claims/<int:pk>/documents/<int:doc_pk>/", views.claim_document, name="claim_document"),
    path("claims/<int:pk>/<slug:action>/", views.claim_action, name="claim_action"),
    path("queue/", views.queue, name="queue"),
    path("statistics/", views.statistics, name="statistics"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("benefits/<int:pk>/rules/new/", views.rule_version_new, name="rule_version_new"),
    path("enrolments/", views.enrolment_list, name="enrolment_list"),
    path("enrolments/new/", views.enrolment_new, name="enrolment_new"),
    path("enrolments/template.xlsx", views.enrolment_template, name="enrolment_template"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<int:pk>/add/", views.enrolment_add, name="enrolment_add"),
    path("enrolments/<int:pk>/remove/", views.enrolment_remove, name="enrolment_remove"),
    path("enrolments/<int:pk>/confirm/", views.enrolment_confirm, name="enrolment_confirm"),
    path("enrolments/additions/<int:pk>/confirm/", views.addition_confirm, name="addition_confirm"),
    path("payments/", views.batch_list, name="batch_list"),
    path("payments/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("payments/<int:pk>/export.<str:fmt>", views.batch_export, name="batch_export"),
    path("payments/<int:pk>/return-file/", views.batch_return_file, name="batch_return_file"),
    path("payments/<int:pk>/return-file/confirm/", views.batch_return_confirm, name="batch_return_confirm"),
    path("payments/<int:pk>/layout/", views.batch_layout, name="batch_layout"),
    path("payments/items/<int:pk>/<slug:outcome>/", views.payment_decide, name="payment_decide"),
]
