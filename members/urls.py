from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/new/", views.org_create, name="org_create"),
    path("orgs/<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("orgs/<int:pk>/move/", views.org_move, name="org_move"),
    path("orgs/<int:pk>/join-poster.pdf", views.org_join_poster, name="org_join_poster"),
    # the roll
    path("", views.member_list, name="member_list"),
    path("export.xlsx", views.member_export, name="member_export"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_job_download, name="export_job_download"),
    path("new/", views.member_create, name="member_create"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<int:pk>/status/", views.member_status, name="member_status"),
    path("<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("<int:pk>/reveal/<str:field>/", views.member_reveal, name="member_reveal"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="transfer_decide"),
    # joining and the membership card
    path("join/", views.join_start, name="join_start"),
    path("join/<int:org_id>/", views.join_apply, name="join_apply"),
    path("<int:pk>/invite/", views.member_invite, name="member_invite"),
    path("invite/<str:token>/", views.invite_accept, name="invite_accept"),
    path("lost-mobile/", views.mobile_recovery_start, name="mobile_recovery_start"),
    path("lost-mobile/requests/", views.mobile_recovery_list, name="mobile_recovery_list"),
    path("lost-mobile/requests/<int:pk>/", views.mobile_recovery_detail, name="mobile_recovery_detail"),
    path("lost-mobile/finish/<str:token>/", views.mobile_recovery_finish, name="mobile_recovery_finish"),
    path("joins/", views.join_list, name="join_list"),
    path("joins/<int:pk>/", views.join_detail, name="join_detail"),
    path("me/", views.my_card, name="my_card"),
    path("card/<str:token>/", views.card_verify, name="card_verify"),
    # enterprises and union founding
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("founding/", views.founding_list, name="founding_list"),
    path("founding/new/", views.founding_new, name="founding_new"),
    path("founding/<int:pk>/", views.founding_detail, name="founding_detail"),
    path("founding/<int:pk>/file/", views.founding_file, name="founding_file"),
    # Excel import
    path("imports/", views.import_new, name="import_new"),
    path("imports/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:pk>/refused.xlsx", views.import_refused, name="import_refused"),
]
