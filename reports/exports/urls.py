from django.urls import path

from reports.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("request/", views.export_request, name="request"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/download/", views.job_download, name="download"),
]
