"""/api/v1/rounds/{code}/answers/: the raw answers of an organisation questionnaire's round, one
row per submitted or approved response, for analysts and administrators of the area (as the
raw-answers export).

The rows are those of the export's SQL (reports/exports/tables/answers_sql.py), which formats
every cell in PostgreSQL; the CSV is written by PostgreSQL itself (COPY), a block of responses
at a time, so a national round streams in bounded memory. Columns: the response's, then per
question `<code>` (and `<code>__label`: the chosen choices' labels in the request's language)
or, for a count by sex, `<code>__women` and `<code>__men`. Anonymous individual answers are
never served: an individual questionnaire's round is a 404 here."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator

from django.db import connection
from django.http import StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response as ApiResponse
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from readiness.api.csv import CSVRenderer, copy_block, csv_lines
from readiness.api.pagination import FixedCursorPagination
from readiness.api.views import ApiListViewSet, ApiMixin
from reports.access import api_answers_area
from reports.exports.spec import ExportSpec
from reports.exports.tables.answers import _questions
from reports.exports.tables.answers_sql import CHOICE_KINDS, NUMBER_KINDS, answers_sql
from reports.models import ExportFormat, ExportWhat
from surveys.models import Question, QuestionKind

RESPONSE_COLUMNS = [
    "response_id",
    "organisation_code",
    "organisation_name",
    "kind",
    "status",
    "submitted_at",
]
BLOCK = 1000  # responses per COPY of the CSV


class AnswerRowSerializer(serializers.Serializer):
    """Schema only: the fixed columns; each question adds its own (see the description)."""

    response_id = serializers.IntegerField(help_text="Id of the response.")
    organisation_code = serializers.CharField(help_text="Code of the organisation.")
    organisation_name = serializers.CharField(help_text="Its name in the request's language.")
    kind = serializers.CharField(help_text="Kind of organisation, in the request's language.")
    status = serializers.CharField(help_text="submitted or approved, in the request's language.")
    submitted_at = serializers.CharField(
        allow_null=True, help_text="When submitted, YYYY-MM-DD HH:MM in Vientiane time."
    )


class AnswersPageSerializer(serializers.Serializer):
    """Schema only: a cursor page of raw answers."""

    next = serializers.URLField(
        allow_null=True, help_text="The next page's address; null on the last page."
    )
    previous = serializers.URLField(allow_null=True, help_text="Always null: pages go forward.")
    results = AnswerRowSerializer(many=True, help_text="One row per response.")


def question_columns(question: Question) -> list[str]:
    """The columns of a question, in the order of the export's SQL (`_question_keys`)."""
    if question.kind == QuestionKind.COUNT_BY_SEX:
        return [f"{question.code}__women", f"{question.code}__men"]
    if question.kind in CHOICE_KINDS:
        return [question.code, f"{question.code}__label"]
    return [question.code]


def _after(sql: str) -> str:
    return f"SELECT * FROM ({sql}) p WHERE p.id > %s ORDER BY p.id LIMIT %s"  # noqa: S608


def copy_blocks(sql: str, params: list) -> Iterator[bytes]:
    """The CSV rows of the query, BLOCK responses per COPY, in response order (the first
    field of a row is its response id)."""
    last = 0
    while True:
        rows = copy_block(_after(sql), [*params, last, BLOCK])
        if rows.parts:
            yield b"".join(rows.parts)
        if rows.last_key is None or len(rows.parts) < BLOCK:
            return
        last = int(rows.last_key)


class AnswersPagination(FixedCursorPagination):
    """The fixed page sizes of every list; the cursor is the last response id of the page."""

    def decode_after(self, request) -> int:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return 0
        try:
            value = int(base64.urlsafe_b64decode(raw.encode("ascii")).decode("ascii"))
        except (ValueError, UnicodeError, binascii.Error):
            raise ValidationError(
                {self.cursor_query_param: _("This cursor is not valid.")}
            ) from None
        return max(0, value)

    def link(self, request, last: int) -> str:
        cursor = base64.urlsafe_b64encode(str(last).encode("ascii")).decode("ascii")
        return self.encode_url(request, cursor)

    def encode_url(self, request, cursor: str) -> str:
        return replace_query_param(request.build_absolute_uri(), self.cursor_query_param, cursor)


class AnswersView(ApiMixin, APIView):
    """Raw answers of an organisation questionnaire's round in an area (`area`, default: the
    reader's first analyst or administrator scope)."""

    renderer_classes = ApiListViewSet.renderer_classes

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Code of the area."),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From `next`."),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description="Rows per page: default 100, at most 1000 (more is refused).",
            ),
        ],
        responses={200: AnswersPageSerializer},
    )
    def get(self, request, round_code: str):
        round_, area = api_answers_area(request.user, round_code, request.GET.get("area"))
        spec = ExportSpec(round_, ExportWhat.ANSWERS, area, ExportFormat.CSV, get_language())
        questions = _questions(spec)
        header = RESPONSE_COLUMNS + [c for q in questions for c in question_columns(q)]
        sql, params = answers_sql(spec, questions, individual=False)
        if getattr(request.accepted_renderer, "format", "") == "csv":
            return self.csv(header, sql, params, round_.code)
        return self.page(request, header, questions, sql, params)

    def csv(self, header: list[str], sql: str, params: list, code: str):
        head = "".join(csv_lines(header, [])).encode("utf-8")  # the BOM and the header

        def stream() -> Iterator[bytes]:
            yield head
            yield from copy_blocks(sql, params)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="answers-{code}.csv"'
        return response

    def page(self, request, header, questions, sql, params):
        paginator = AnswersPagination()
        size = paginator.get_page_size(request)
        after = paginator.decode_after(request)
        with connection.cursor() as cursor:
            cursor.execute(_after(sql), [*params, after, size + 1])
            rows = cursor.fetchall()
        numeric = {
            column for q in questions if q.kind in NUMBER_KINDS for column in question_columns(q)
        }
        results = [
            {
                name: (float(value) if name in numeric and value is not None else value)
                for name, value in zip(header, row, strict=True)
            }
            for row in rows[:size]
        ]
        for result in results:
            result["response_id"] = int(result["response_id"])
        more = len(rows) > size
        return ApiResponse(
            {
                "next": paginator.link(request, results[-1]["response_id"]) if more else None,
                "previous": None,
                "results": results,
            }
        )


__all__ = ["AnswersView", "CSVRenderer"]
