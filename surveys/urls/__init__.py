"""URLs of the surveys app, one module per area so each reads on its own."""

from surveys.urls import filling, imports, individual, questionnaires, review, rounds

app_name = "surveys"

urlpatterns = (
    questionnaires.urlpatterns
    + rounds.urlpatterns
    + filling.urlpatterns
    + review.urlpatterns
    + imports.urlpatterns
    + individual.urlpatterns
)
