"""Pages: liaison."""

from django.urls import path

from . import views_liaison as views

urlpatterns: list = [
    path("liaison/", views.liaison_mine, name="liaison_mine"),
    path("liaison/assignments/", views.liaison_assignments, name="liaison_assignments"),
    path("liaison/assignments/new/", views.liaison_assign, name="liaison_assign"),
    path("liaison/assignments/<int:pk>/", views.liaison_assignment, name="liaison_assignment"),
    path("liaison/assignments/<int:pk>/visit/", views.liaison_visit, name="liaison_visit"),
    path("liaison/assignments/<int:pk>/end/", views.liaison_end, name="liaison_end"),
    path("liaison/issues/<int:pk>/case/", views.liaison_issue_case, name="liaison_issue_case"),
    path("liaison/issues/<int:pk>/round/", views.liaison_issue_round, name="liaison_issue_round"),
    path("liaison/issues/<int:pk>/close/", views.liaison_issue_close, name="liaison_issue_close"),
]
