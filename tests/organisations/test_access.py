"""The access policy, walked as a table: role × action × inside/outside the scope.

The `tree` fixture: the nation (LA) > Vientiane Capital (LA01) > Chanthabuly (LA0101) > a village;
the nation > Luang Prabang (LA06) > Luang Prabang district (LA0601) and the provincial health
office LA06-PHO, whose line ministry is MOH; the nation > MOH > its department MOH-DHR."""

import pytest

from organisations import access
from organisations.models import Role
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

FP, RV, AN, AD = Role.FOCAL_POINT, Role.REVIEWER, Role.ANALYST, Role.ADMINISTRATOR

ACTIONS = {
    "view": access.can_view_organisation,
    "fill": access.can_fill,
    "review": access.can_review,
    "results": access.can_view_organisation,
    "export": access.can_export,
    "administer": access.can_administer,
}

# (role, scope node, action, target node, allowed)
TABLE = [
    # focal point: its own organisation only, never the units below it
    (FP, "chanthabuly", "fill", "chanthabuly", True),
    (FP, "chanthabuly", "fill", "village", False),
    (FP, "chanthabuly", "fill", "vte", False),
    (FP, "chanthabuly", "results", "chanthabuly", True),
    (FP, "chanthabuly", "results", "village", False),
    (FP, "chanthabuly", "view", "luang", False),
    (FP, "chanthabuly", "review", "chanthabuly", False),
    (FP, "chanthabuly", "export", "chanthabuly", False),
    (FP, "chanthabuly", "administer", "chanthabuly", False),
    # reviewer: its subtree
    (RV, "vte", "review", "vte", True),
    (RV, "vte", "review", "chanthabuly", True),
    (RV, "vte", "review", "village", True),
    (RV, "vte", "review", "lpb", False),
    (RV, "vte", "review", "health_lpb", False),
    (RV, "vte", "review", "nation", False),
    (RV, "vte", "results", "village", True),
    (RV, "vte", "results", "luang", False),
    (RV, "vte", "fill", "chanthabuly", False),
    (RV, "vte", "export", "chanthabuly", False),
    (RV, "vte", "administer", "chanthabuly", False),
    # reviewer at a ministry: its departments and, along the sector axis, its provincial offices
    (RV, "moh", "review", "moh_dept", True),
    (RV, "moh", "review", "health_lpb", True),
    (RV, "moh", "view", "health_lpb", True),
    (RV, "moh", "review", "lpb", False),
    (RV, "moh", "review", "luang", False),
    # analyst: reads and exports in scope, never fills or reviews
    (AN, "nation", "results", "village", True),
    (AN, "nation", "export", "health_lpb", True),
    (AN, "nation", "review", "village", False),
    (AN, "nation", "fill", "village", False),
    (AN, "nation", "administer", "village", False),
    (AN, "lpb", "export", "luang", True),
    (AN, "lpb", "export", "health_lpb", True),
    (AN, "lpb", "export", "chanthabuly", False),
    (AN, "lpb", "results", "vte", False),
    # administrator: everything an analyst can, plus review and management, in scope
    (AD, "vte", "administer", "vte", True),
    (AD, "vte", "administer", "village", True),
    (AD, "vte", "administer", "lpb", False),
    (AD, "vte", "administer", "nation", False),
    (AD, "vte", "review", "village", True),
    (AD, "vte", "export", "chanthabuly", True),
    (AD, "vte", "export", "luang", False),
    (AD, "vte", "results", "luang", False),
    (AD, "vte", "fill", "chanthabuly", False),
    (AD, "nation", "administer", "health_lpb", True),
]


@pytest.mark.parametrize(
    ("role", "scope", "action", "target", "allowed"),
    TABLE,
    ids=[f"{r}@{s}-{a}-{t}-{'yes' if ok else 'no'}" for r, s, a, t, ok in TABLE],
)
def test_the_policy_answers_each_role_action_and_scope(tree, role, scope, action, target, allowed):
    user = UserFactory()
    grant(user, role, tree[scope])
    assert ACTIONS[action](user, tree[target]) is allowed


VISIBLE = [
    (FP, "chanthabuly", {"chanthabuly"}),
    (RV, "vte", {"vte", "chanthabuly", "village"}),
    (RV, "moh", {"moh", "moh_dept", "health_lpb"}),
    (AN, "lpb", {"lpb", "luang", "health_lpb"}),
    (
        AD,
        "nation",
        {
            "nation",
            "vte",
            "lpb",
            "chanthabuly",
            "luang",
            "village",
            "moh",
            "moh_dept",
            "health_lpb",
        },
    ),
]


@pytest.mark.parametrize(("role", "scope", "expected"), VISIBLE)
def test_visible_organisations_follow_the_scope(tree, role, scope, expected):
    user = UserFactory()
    grant(user, role, tree[scope])
    codes = set(access.visible_organisations(user).values_list("code", flat=True))
    assert codes == {tree[key].code for key in expected}


def test_only_an_administrator_of_the_root_administers_the_platform(tree):
    national, provincial, analyst = UserFactory(), UserFactory(), UserFactory()
    grant(national, AD, tree["nation"])
    grant(provincial, AD, tree["vte"])
    grant(analyst, AN, tree["nation"])
    assert access.can_administer(national)
    assert not access.can_administer(provincial)
    assert not access.can_administer(analyst)


def test_a_user_without_roles_sees_and_does_nothing(tree):
    user = UserFactory()
    assert not access.visible_organisations(user).exists()
    assert not any(action(user, tree["village"]) for action in ACTIONS.values())


def test_roles_combine_and_each_keeps_its_own_scope(tree):
    user = UserFactory()
    grant(user, FP, tree["village"])
    grant(user, RV, tree["lpb"])
    assert access.can_fill(user, tree["village"])
    assert not access.can_review(user, tree["village"])
    assert access.can_review(user, tree["luang"])
    assert not access.can_fill(user, tree["luang"])


def test_a_role_at_an_inactive_organisation_grants_nothing(tree):
    user = UserFactory()
    grant(user, RV, tree["vte"])
    tree["vte"].active = False
    tree["vte"].save()
    assert not access.can_review(user, tree["chanthabuly"])


def test_organisations_in_scope_filters_related_rows(tree):
    from organisations.models import RoleAssignment

    admin, someone = UserFactory(), UserFactory()
    grant(admin, AD, tree["vte"])
    inside = grant(someone, FP, tree["village"])
    grant(someone, FP, tree["luang"])
    condition = access.organisations_in_scope(admin, [AD], prefix="organisation__")
    assert list(RoleAssignment.objects.filter(condition).exclude(user=admin)) == [inside]


def test_require_turns_a_refusal_into_a_404():
    from django.http import Http404

    access.require(True)
    with pytest.raises(Http404):
        access.require(False)
