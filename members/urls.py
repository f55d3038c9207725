from django.urls import include, path

from . import views

app_name = "members"

urlpatterns = [
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/new/", views.org_create, name="org_create"),
    path("orgs/<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("orgs/<int:pk>/move/", views.org_move, name="org_move"),
    path("funds/", include("members.urls_funds")),
]
