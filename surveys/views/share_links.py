"""An individual round's share links, for its administrator: every target organisation's link,
whether or not it has a focal point, to copy or to print as a QR code on a notice board."""

from __future__ import annotations

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from organisations.access import require
from readiness.paging import paged
from surveys.access import round_for_admin
from surveys.forms.rounds import TargetFilterForm
from surveys.models import RespondentType, RoundStatus, ShareLink
from surveys.selectors.rounds import round_targets_list

LINKS_PAGE_SIZE = 24  # a page of QR codes prints on a few sheets


def link_qr_svg(url: str, title: str) -> str:
    """The QR code of `url` as inline SVG markup (dark modules on white, a quiet zone of 4),
    made on the server by segno: no script, no image request. `title` names it for screen
    readers. Raises segno's DataOverflowError only for a URL too long for any QR code."""
    code = segno.make(url, error="m")
    return code.svg_inline(scale=4, title=title, svgclass="share-qr", lineclass=None)


@require_GET
def round_share_links(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the share links of the round's target organisations, paged and searchable. An
    organisation's questionnaire round (or one still being prepared, which has no links
    yet) has none: 404."""
    round_ = round_for_admin(request.user, pk)
    individual = round_.version.questionnaire.respondent_type == RespondentType.INDIVIDUAL
    require(individual and round_.status != RoundStatus.DRAFT)
    form = TargetFilterForm(request.GET)
    chosen = form.values()
    targets = round_targets_list(round_, search=chosen["q"] or "", kind=chosen["kind"])
    pager = paged(request, targets, keep=form.keep, per_page=LINKS_PAGE_SIZE)
    organisations = list(pager.object_list)
    tokens = dict(
        ShareLink.objects.filter(
            round=round_, organisation__in=organisations, active=True
        ).values_list("organisation_id", "token")
    )
    rows = []
    for organisation in organisations:
        token = tokens.get(organisation.pk)
        url = (
            request.build_absolute_uri(reverse("surveys:individual_form", args=[token]))
            if token
            else ""
        )
        qr = mark_safe(link_qr_svg(url, f"QR {organisation.code}")) if url else ""  # noqa: S308
        rows.append({"organisation": organisation, "url": url, "qr": qr})
    return render(
        request,
        "surveys/rounds/share_links.html",
        {"round": round_, "rows": rows, "form": form, "pager": pager, "page": pager.page},
    )
