"""One way to page a list, used by every list page: `paged(request, items, keep=(...))` and the
include `templates/_pager.html` ("51–100 of 614", first / previous / numbered / next / last).

Every link keeps the list's own parameters (search, filters, sort: the names in `keep`) and
nothing else, so a csrfmiddlewaretoken or a stray parameter never travels from link to link. A
page number past the last gives the last page and says so; a page number that is not a number
gives the first page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 50
# Page numbers shown either side of the current one.
WINDOW = 2
# A parameter value longer than this is not a search anyone typed: it is cut before use.
VALUE_MAX_LENGTH = 100


@dataclass
class ListPage:
    """A page of a list and its links. `page` is Django's Page (iterate `page.object_list`);
    `total` the number of rows of the whole list; `first` and `last` the 1-based positions of
    this page's rows (0 and 0 for an empty list); `asked` the page number asked for when it was
    past the last page (None otherwise)."""

    page: Page
    query: str
    asked: int | None = None
    param: str = "page"
    anchor: str = ""

    @property
    def object_list(self) -> Sequence[Any]:
        return self.page.object_list

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def first(self) -> int:
        return self.page.start_index()

    @property
    def last(self) -> int:
        return self.page.end_index()

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def page_count(self) -> int:
        return self.page.paginator.num_pages

    def url(self, number: int) -> str:
        """The query string ("?...page=n") of page `number`, keeping the list's parameters."""
        page = f"{self.param}={number}"
        anchor = f"#{self.anchor}" if self.anchor else ""
        return (f"?{self.query}&{page}" if self.query else f"?{page}") + anchor

    @property
    def links(self) -> dict[str, str | None]:
        """first / previous / next / last: a query string, or None where there is no such page."""
        number, count = self.number, self.page_count
        return {
            "first": self.url(1) if number > 1 else None,
            "previous": self.url(number - 1) if number > 1 else None,
            "next": self.url(number + 1) if number < count else None,
            "last": self.url(count) if number < count else None,
        }

    @property
    def window(self) -> list[tuple[int, str]]:
        """The page numbers around this one, each with its query string."""
        low = max(1, self.number - WINDOW)
        high = min(self.page_count, self.number + WINDOW)
        return [(n, self.url(n)) for n in range(low, high + 1)]


def clean_value(value: str | None) -> str:
    """A parameter as typed, without NUL (PostgreSQL refuses it) and cut to VALUE_MAX_LENGTH."""
    return (value or "").replace("\x00", "").strip()[:VALUE_MAX_LENGTH]


def kept_query(params: QueryDict, keep: Iterable[str]) -> str:
    """The url-encoded parameters named in `keep` that have a value (the page number never)."""
    kept = QueryDict(mutable=True)
    for name in keep:
        values = [clean_value(v) for v in params.getlist(name)]
        values = [v for v in values if v]
        if values and name != "page" and name != "csrfmiddlewaretoken":
            kept.setlist(name, values)
    return kept.urlencode()


def _page_number(raw: str | None) -> int:
    text = clean_value(raw)
    return int(text) if text.isascii() and text.isdigit() else 1


def paged(
    request: HttpRequest,
    items: Any,
    *,
    keep: Iterable[str] = (),
    per_page: int = PAGE_SIZE,
    param: str = "page",
    anchor: str = "",
) -> ListPage:
    """The page of `items` (a queryset, ordered, or a list) asked for by `request.GET[param]`;
    its links end with `#anchor` when given (a list lower down a page). Costs one COUNT and
    one slice for a queryset. Never raises for a bad number."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    asked = _page_number(request.GET.get(param))
    number = min(max(asked, 1), paginator.num_pages)
    return ListPage(
        page=paginator.page(number),
        query=kept_query(request.GET, keep),
        asked=asked if asked > paginator.num_pages else None,
        param=param,
        anchor=anchor,
    )


def organisation_matches(search: str, prefix: str = "") -> Q:
    """Rows whose organisation's code, Lao name or English name contains `search`, ignoring
    letter case (`prefix` is the path to the organisation, e.g. "organisation__"). An empty
    search matches everything."""
    search = clean_value(search)
    if not search:
        return Q()
    return (
        Q(**{f"{prefix}code__icontains": search})
        | Q(**{f"{prefix}name__lo__icontains": search})
        | Q(**{f"{prefix}name__en__icontains": search})
    )


class ListFilterForm(forms.Form):
    """The search and filters of a list page, read from the query string. A value that is not
    one of a field's choices (a garbage parameter) is ignored: `values()` gives None for it and
    the list is shown as if it were absent, never an error page. Subclasses add fields; `q`,
    the organisation search, is every list's."""

    q = forms.CharField(
        label=_("Organisation name or code"),
        required=False,
        max_length=VALUE_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "LA0101, ຈັນທະບູລີ, Chanthabuly"}
        ),
    )

    def __init__(self, params: QueryDict, **kwargs: Any) -> None:
        data = {name: clean_value(params.get(name)) for name in params if name != "page"}
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    @property
    def keep(self) -> list[str]:
        """The parameter names the pager keeps in its links."""
        return list(self.fields)

    def values(self) -> dict[str, Any]:
        """Each field's cleaned value; None for an empty or invalid one."""
        self.is_valid()
        return {
            name: (self.cleaned_data.get(name) or None) if name not in self.errors else None
            for name in self.fields
        }
