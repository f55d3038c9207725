"""Pages: congress."""

from django.urls import path

from . import views_congress as views

urlpatterns: list = [
    path("congress/", views.congress_list, name="congress_list"),
    path("congress/new/", views.congress_create, name="congress_create"),
    path("congress/rule/", views.congress_rule, name="congress_rule"),
    path("congress/<int:pk>/", views.congress_detail, name="congress_detail"),
    path("open-affairs/", views.open_affairs_list, name="open_affairs_list"),
    path("open-affairs/new/", views.open_affairs_create, name="open_affairs_create"),
]
