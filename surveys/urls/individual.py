from django.urls import path

from surveys.views import individual

urlpatterns: list = [
    path("s/<str:token>/", individual.individual_form, name="individual_form"),
    path("s/<str:token>/thanks/", individual.individual_thanks, name="individual_thanks"),
]
