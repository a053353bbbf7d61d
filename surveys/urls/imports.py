"""Responses collected offline, imported by platform administrators."""

from django.urls import path

from surveys.views import imports

urlpatterns = [
    path("responses/import/", imports.responses_import_upload, name="responses_import"),
]
