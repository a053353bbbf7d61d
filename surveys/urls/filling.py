"""The filling screens of focal points."""

from django.urls import path

from surveys.views import filling

urlpatterns = [
    path("my/", filling.my_questionnaires_view, name="my_questionnaires"),
    path("responses/<int:pk>/", filling.response_start, name="response_start"),
    path("responses/<int:pk>/check/", filling.response_check, name="response_check"),
    path("responses/<int:pk>/submit/", filling.response_submit_view, name="response_submit"),
    path("responses/<int:pk>/p/<str:pillar_code>/", filling.response_page, name="response_page"),
    path(
        "responses/<int:pk>/p/<str:pillar_code>/autosave/",
        filling.response_autosave,
        name="response_autosave",
    ),
]
