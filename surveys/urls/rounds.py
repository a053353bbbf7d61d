"""Rounds (platform administrators) and the filling screens (focal points)."""

from django.urls import path

from surveys.views import filling, rounds

urlpatterns = [
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/targets/", rounds.round_targets, name="round_targets"),
    path("rounds/<int:pk>/open/", rounds.round_open_view, name="round_open"),
    path("rounds/<int:pk>/close/", rounds.round_close_view, name="round_close"),
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
