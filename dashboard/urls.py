from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("export.xlsx", views.dashboard_export, name="export"),
    path("refresh/", views.refresh, name="refresh"),
    path("figures/<str:metric>/", views.figure_detail, name="figure"),
    path("figures/<str:metric>/export.xlsx", views.figure_export, name="figure_export"),
    path("assessments/", views.scheme_list, name="scheme_list"),
    path("assessments/new/", views.scheme_create, name="scheme_create"),
    path("assessments/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("assessments/<int:pk>/export.xlsx", views.scheme_export, name="scheme_export"),
    path("assessments/<int:pk>/status/<str:status>/", views.scheme_transition, name="scheme_transition"),
    path("assessments/<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("assessments/<int:pk>/units/<int:unit_pk>/", views.scheme_unit, name="scheme_unit"),
    path("assessments/<int:pk>/units/<int:unit_pk>/items/<int:item_pk>/", views.entry_submit, name="entry_submit"),
    path("assessments/<int:pk>/units/<int:unit_pk>/items/<int:item_pk>/score/", views.entry_score, name="entry_score"),
    path(
        "assessments/<int:pk>/units/<int:unit_pk>/items/<int:item_pk>/evidence/",
        views.entry_evidence,
        name="entry_evidence",
    ),
]
