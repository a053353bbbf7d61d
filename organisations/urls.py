from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/roles/", views.role_assign, name="role_assign"),
    path("import/", views.organisation_import, name="import"),
    path("roles/", views.role_list, name="roles"),
    path("roles/<int:pk>/remove/", views.role_remove, name="role_remove"),
    path("users/new/", views.user_create, name="user_create"),
]
