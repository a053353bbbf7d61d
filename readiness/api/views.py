"""The base of every API endpoint: read-only, session or personal-token authentication,
throttled per token, cursor pages, `?format=csv` on lists, the request's language."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import APIException, NotFound, Throttled
from rest_framework.renderers import JSONRenderer

from readiness.api.csv import CHUNK_ROWS, CSVRenderer, csv_response
from readiness.api.pagination import FixedCursorPagination

LANGUAGE_PARAMETER = "lang"


def request_language(request) -> str:
    """`?lang=lo|en`, else the language the browser's switch remembered (cookie), else Lao."""
    wanted = request.GET.get(LANGUAGE_PARAMETER, "")
    if wanted in dict(settings.LANGUAGES):
        return wanted
    return translation.get_language_from_request(request) or settings.LANGUAGE_CODE


class ApiThrottled(Throttled):
    """429 with a message that translates whole (DRF's glues an untranslated sentence on)."""

    def __init__(self, wait: float | None) -> None:
        seconds = max(1, math.ceil(wait or 1))
        APIException.__init__(
            self,
            _("Too many requests with this token: try again in %(seconds)s s.")
            % {"seconds": seconds},
        )
        self.wait = seconds


class ApiMixin:
    """The request's language before authentication; errors as JSON; Content-Language."""

    def throttled(self, request, wait) -> None:
        raise ApiThrottled(wait)

    def initial(self, request, *args, **kwargs) -> None:
        # Before authentication, so that its refusals already speak the request's language.
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            # One body for every 404 ("No Round matches the given query." would tell a
            # missing round from a forbidden one).
            exc = NotFound()
        response = super().handle_exception(exc)
        # An error is a JSON body whatever format was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response


class ApiListViewSet(ApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A read-only list. Subclasses give `get_queryset` (already limited to the reader's
    scope through the access helpers), a serializer whose `shape(row)` makes one flat dict per
    row (the JSON object and the CSV line alike) and `csv_name`.

    JSON and CSV share one shape so that a column never means one thing in a page and another
    in the file."""

    pagination_class = FixedCursorPagination
    renderer_classes = [JSONRenderer, CSVRenderer]
    csv_name = "rows"

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", "") != "csv":
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        if hasattr(self, "csv_by_copy"):
            return self.csv_by_copy(queryset)
        queryset = queryset.order_by(getattr(self, "cursor_ordering", "pk"))
        serializer = self.get_serializer()
        if hasattr(serializer, "labels"):
            serializer.labels.load()  # now, in the request's language, not while streaming
        header = list(serializer.fields)
        rows = (serializer.shape(row) for row in queryset.iterator(chunk_size=CHUNK_ROWS))
        return csv_response(header, rows, self.csv_name)


class ApiViewSet(mixins.RetrieveModelMixin, ApiListViewSet):
    """A read-only list whose rows can also be read one by one."""


class ShapedSerializer(serializers.Serializer):
    """A read-only serializer over `.values()` rows: the declared fields describe the output
    (the schema), `shape(row)` builds it in one pass (a national CSV has ~80,000 rows, too
    many for a field-by-field serializer). Labels it repeats are translated once, when the
    serializer is made, so a streamed CSV keeps the request's language to its last row."""

    def to_representation(self, instance) -> dict:
        return self.shape(instance)

    def shape(self, row) -> dict:
        raise NotImplementedError
