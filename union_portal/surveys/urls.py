from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.survey_list, name="list"),
    path("surveys/new/", views.survey_create, name="create"),
    path("surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("surveys/<int:pk>/export.xlsx", views.survey_export, name="export"),
    path("surveys/<int:pk>/<str:action>/", views.survey_transition, name="transition"),
    path("my-surveys/", views.my_surveys, name="mine"),
    path("my-surveys/<int:pk>/", views.survey_answer, name="answer"),
]
