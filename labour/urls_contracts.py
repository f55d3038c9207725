"""Pages: contracts."""

from django.urls import path

from . import views_contracts as views

urlpatterns: list = [
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/vote/", views.contract_vote, name="contract_vote"),
    path("contracts/<int:pk>/sign/", views.contract_sign, name="contract_sign"),
    path("contracts/<int:pk>/file/", views.contract_file, name="contract_file"),
    path("contracts/<int:pk>/answer/", views.contract_answer, name="contract_answer"),
    path("contracts/<int:pk>/publish/", views.contract_publish, name="contract_publish"),
    path("bargaining/", views.round_list, name="round_list"),
    path("bargaining/new/", views.round_create, name="round_create"),
    path("bargaining/<int:pk>/", views.round_detail, name="round_detail"),
    path("bargaining/<int:pk>/reply/", views.round_reply, name="round_reply"),
    path("bargaining/<int:pk>/session/", views.round_session, name="round_session"),
    path("bargaining/<int:pk>/draft/", views.round_draft, name="round_draft"),
    path("bargaining/<int:pk>/end/", views.round_fail, name="round_fail"),
    path("bargaining/sessions/<int:pk>/minutes/", views.session_file, name="session_file"),
    path("bargaining-officers/", views.officer_list, name="officer_list"),
    path("bargaining-officers/<int:pk>/", views.officer_edit, name="officer_edit"),
    path("deadlines/", views.deadline_rules, name="deadline_rules"),
]
