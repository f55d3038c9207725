app_name = "competitions"

urlpatterns: list = []
