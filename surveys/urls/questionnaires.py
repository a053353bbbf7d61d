"""Questionnaires and their versions (platform administrators)."""

from django.urls import path

from surveys.views import questionnaires

urlpatterns = [
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaire_list"),
    path(
        "questionnaires/upload/", questionnaires.questionnaire_upload, name="questionnaire_upload"
    ),
    path("versions/<int:pk>/", questionnaires.version_detail, name="version_detail"),
    path("versions/<int:pk>/preview/", questionnaires.version_preview, name="version_preview"),
    path("versions/<int:pk>/publish/", questionnaires.version_publish_view, name="version_publish"),
    path(
        "versions/<int:pk>/new-draft/",
        questionnaires.version_new_draft_view,
        name="version_new_draft",
    ),
    path("versions/<int:pk>/xlsform/", questionnaires.version_download, name="version_download"),
]
