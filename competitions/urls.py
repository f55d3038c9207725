from django.urls import path

from . import views

app_name = "competitions"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/criteria/", views.criteria_edit, name="criteria_edit"),
    path("<int:pk>/bands/", views.bands_edit, name="bands_edit"),
    path("<int:pk>/groups/new/", views.group_add, name="group_add"),
    path("<int:pk>/teams/new/", views.team_add, name="team_add"),
    path("<int:pk>/year-end/", views.year_end, name="year_end"),
    path("teams/<int:pk>/accident/", views.accident_record, name="accident_record"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/assign/", views.judge_assign, name="judge_assign"),
    path("periods/<int:pk>/copy-judges/", views.assignments_copy, name="assignments_copy"),
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("periods/<int:pk>/release/", views.period_release, name="period_release"),
    path("periods/<int:pk>/reopen/", views.period_reopen, name="period_reopen"),
    path("periods/<int:pk>/export.xlsx", views.period_export, name="period_export"),
    path("periods/<int:pk>/history/", views.score_history, name="score_history"),
    path("assignments/<int:pk>/remove/", views.judge_unassign, name="judge_unassign"),
    path("judges/", views.judge_list, name="judge_list"),
    path("judges/<int:pk>/", views.judge_profile_edit, name="judge_profile_edit"),
    path("my/", views.my_assignments, name="my_assignments"),
    path("my/<int:pk>/", views.score_form, name="score_form"),
    path("board/", views.board_index, name="board_index"),
    path("board/<int:pk>/", views.leaderboard, name="leaderboard"),
    path("board/<int:pk>/export.xlsx", views.leaderboard_export, name="leaderboard_export"),
    path("board/teams/<int:pk>/", views.team_page, name="team_page"),
    path("honours/", views.honour_roll, name="honour_roll"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/photo/", views.report_photo, name="report_photo"),
]
