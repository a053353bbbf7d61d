"""/api/v1/: every endpoint of the read-only API, its OpenAPI schema and documentation pages.

A breaking change (a field removed or renamed, a page size changed) means /api/v2/; the routes
here stay as they are. The API authenticates itself (session or personal token, 401 otherwise),
so its views are exempt from the site's sign-in redirect."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from rest_framework.routers import SimpleRouter

from organisations.api import OrganisationViewSet
from reports.api.answers import AnswersView
from reports.api.areas import AreaResultViewSet, CoverageViewSet
from reports.api.gender import GenderIndicatorViewSet, SexScoreViewSet
from reports.api.results import OrganisationResultViewSet
from reports.api.schema import ApiSchemaView, api_docs
from surveys.api import RoundViewSet, VersionViewSet

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("rounds", RoundViewSet, basename="round")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("versions", VersionViewSet, basename="version")
router.register("results", OrganisationResultViewSet, basename="result")
router.register("area-results", AreaResultViewSet, basename="area-result")
router.register("coverage", CoverageViewSet, basename="coverage")
router.register("gender-indicators", GenderIndicatorViewSet, basename="gender-indicator")
router.register("sex-scores", SexScoreViewSet, basename="sex-score")

urlpatterns = [
    *router.urls,
    path("rounds/<str:round_code>/answers/", AnswersView.as_view(), name="answers"),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
]
for pattern in urlpatterns:
    pattern.callback = login_not_required(pattern.callback)
# The documentation page is a page of the product: signed-in users, the site's sign-in redirect.
urlpatterns.append(path("docs/", api_docs, name="docs"))
