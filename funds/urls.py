from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("declarations/", views.declaration_list, name="declaration_list"),
    path("declarations/new/", views.declaration_create, name="declaration_create"),
    path("collections/", views.collection_list, name="collection_list"),
    path("collections/new/", views.collection_create, name="collection_create"),
    path("collections/<int:pk>/", views.collection_detail, name="collection_detail"),
    path("collections/<int:pk>/reverse/", views.collection_reverse, name="collection_reverse"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_confirm, name="import_confirm"),
    path("reserve/", views.reserve_list, name="reserve_list"),
    path("reserve/sweep/", views.reserve_sweep, name="reserve_sweep"),
    path("reserve/<int:pk>/hand-over/", views.reserve_hand_over, name="reserve_hand_over"),
    path("ratios/", views.ratio_list, name="ratio_list"),
    path("ratios/new/", views.ratio_create, name="ratio_create"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("reports/collected/", views.report_collected, name="report_collected"),
    path("reports/allocation/", views.report_allocation, name="report_allocation"),
    path("dues/", views.dues, name="dues"),
    path("dues/arrears/", views.arrears, name="arrears"),
]
