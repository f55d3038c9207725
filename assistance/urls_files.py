"""Pages: files."""

from django.urls import path

from . import views_files as views

urlpatterns: list = [
    path("files/", views.file_list, name="file_list"),
    path("files/export/", views.file_export, name="file_export"),
    path("files/statistics/", views.file_statistics, name="file_statistics"),
    path("files/statistics/export/", views.file_statistics_export, name="file_statistics_export"),
    path("files/<int:pk>/", views.file_detail, name="file_detail"),
    path("files/<int:pk>/reveal/", views.file_reveal, name="file_reveal"),
    path("files/<int:pk>/review/", views.file_review, name="file_review"),
    path("files/<int:pk>/close/", views.file_close, name="file_close"),
    path("files/<int:pk>/attention/", views.file_attention_clear, name="file_attention_clear"),
    path("files/<int:pk>/follow-up/", views.file_follow_up, name="file_follow_up"),
    path("my/file/", views.my_file, name="my_file"),
]
