"""Rounds (platform administrators)."""

from django.urls import path

from surveys.views import rounds, share_links

urlpatterns = [
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/targets/", rounds.round_targets, name="round_targets"),
    path("rounds/<int:pk>/share-links/", share_links.round_share_links, name="round_share_links"),
    path("rounds/<int:pk>/open/", rounds.round_open_view, name="round_open"),
    path("rounds/<int:pk>/close/", rounds.round_close_view, name="round_close"),
]
