"""Cursor pages of a fixed, documented size.

The default (100) and the maximum (1,000) are part of the API's contract (/api/v1/): a client
script that asks for more than the maximum is refused with a message giving the number, never
served fewer rows silently, and the numbers only change in a new version of the API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class FixedCursorPagination(CursorPagination):
    """Pages through a list in a stable order (`ordering`, the primary key by default), so rows
    added or removed while a script pages never shift a page: `next` and `previous` are
    opaque links."""

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    ordering = "pk"

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        """The view's `cursor_ordering` (unique, so no row is skipped or repeated), else pk."""
        return (getattr(view, "cursor_ordering", self.ordering),)

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _(
                            "The page size is a whole number from 1 to %(maximum)s; ask for "
                            "the next page with the link in “next”."
                        )
                        % {"maximum": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_page_size_schema_description(self) -> str:  # pragma: no cover - schema text
        return (
            f"Rows per page: default {self.page_size}, at most {self.max_page_size} "
            "(more is refused with 400, never capped silently)."
        )

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = self.get_page_size_schema_description()
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
            if parameter["name"] == self.cursor_query_param:
                parameter["description"] = (
                    "Opaque position in the list; take it from the `next` or `previous` link."
                )
        return parameters

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["next"]["description"] = (
            "The next page's address; null on the last page."
        )
        response["properties"]["previous"]["description"] = (
            "The previous page's address; null on the first page."
        )
        response["required"] = ["next", "previous", "results"]
        return response
