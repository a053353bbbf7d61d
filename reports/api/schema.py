"""The OpenAPI 3 schema of /api/v1/ (drf-spectacular) and its documentation page (Redoc from
our own static files, drf-spectacular-sidecar: no CDN)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from readiness.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

DESCRIPTION = f"""Read-only access to the results of the Lao PDR digital readiness assessment,
under the same access policy as the screens: an object outside the reader's scope is absent
from lists and a 404 by itself.

**Authentication.** The browser session, or a personal token made on the page "API tokens"
(menu of the product): `Authorization: Bearer rdy_…`. A token acts as its user, with the user's
roles and nothing more; an unknown, expired or revoked token is refused with 401. Requests are
throttled per token (429 with `Retry-After`).

**Pages.** Every list is paged by cursor: {DEFAULT_PAGE_SIZE} rows by default, `page_size` up
to {MAX_PAGE_SIZE} (more is refused with 400, never capped silently); follow `next` until it
is null. These numbers change only in a new version of the API (/api/v2/).

**CSV.** `?format=csv` on every list gives every row of the filtered list (no page, no cap),
UTF-8 with a byte-order mark, streamed; the header row holds the JSON field names.

**Language.** Labels (names, stage names, kinds) and error messages follow `?lang=lo|en`, else
the language chosen in the product (cookie), else Lao. Field descriptions are in English.

**Scales.** Scores are on UNDP's 1-5 scale; shares are 0-1; gaps are in score points. A null
score means no scored answer (never 1 by default); a null score of an individual
questionnaire's group means the group is under the minimum size (`withheld`).

**Stability.** Fields are only added within /api/v1/; a field removed or renamed, or a page
size changed, means /api/v2/."""


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "organisations.api_auth.ApiTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from the page API tokens (rdy_…).",
        }


def describe_answer_columns(result: dict, generator, request, public) -> dict:
    """The raw answers' rows have one column per question besides the fixed ones."""
    row = result.get("components", {}).get("schemas", {}).get("AnswerRow")
    if row is not None:
        row["additionalProperties"] = {
            "anyOf": [
                {"type": "string", "nullable": True},
                {"type": "number", "nullable": True},
            ],
            "description": "Per question: `<code>` (the value; for a choice its value codes, "
            "space-separated), `<code>__label` (the chosen choices' labels in the request's "
            "language, `; `-separated), or `<code>__women` and `<code>__men` for a count by "
            "sex; null when not answered. Numbers are numbers in JSON.",
        }
    result["info"]["description"] = DESCRIPTION
    return result


class ApiSchemaView(SpectacularAPIView):
    """GET /api/v1/schema/: JSON by default, YAML with ?format=yaml."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]
    permission_classes = [IsAuthenticated]


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """The documentation page, in the product's layout (signed-in users)."""
    return render(request, "api/docs.html")
