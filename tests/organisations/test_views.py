import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from organisations.models import Organisation, Role, RoleAssignment
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_of(client):
    """Signs in an administrator of the given node (English pages, to read the messages)."""

    def sign_in(organisation: Organisation):
        user = UserFactory()
        grant(user, Role.ADMINISTRATOR, organisation)
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return user

    return sign_in


def upload(client, content: bytes):
    return client.post(
        reverse("organisations:import"),
        {"file": SimpleUploadedFile("villages.csv", content, content_type="text/csv")},
    )


@pytest.mark.parametrize("name", ["list", "import", "roles", "user_create"])
def test_the_pages_are_404_for_users_who_administer_nothing(client, tree, name):
    user = UserFactory()
    grant(user, Role.ANALYST, tree["nation"])
    client.force_login(user)
    assert client.get(reverse(f"organisations:{name}")).status_code == 404


def test_the_browser_shows_a_node_its_children_and_searches_by_name(client, tree, admin_of):
    admin_of(tree["nation"])
    page = client.get(reverse("organisations:detail", args=[tree["vte"].pk])).content.decode()
    assert tree["chanthabuly"].name["en"] in page
    found = client.get(reverse("organisations:list"), {"q": "LA0101"}).content.decode()
    assert "LA0101001" in found and "LA0601" not in found
    by_lao = client.get(reverse("organisations:list"), {"q": tree["village"].name["lo"]})
    assert "LA0101001" in by_lao.content.decode()


def test_an_administrator_of_a_province_sees_nothing_outside_it(client, tree, admin_of):
    admin_of(tree["vte"])
    assert (
        client.get(reverse("organisations:detail", args=[tree["chanthabuly"].pk])).status_code
        == 200
    )
    assert client.get(reverse("organisations:detail", args=[tree["lpb"].pk])).status_code == 404
    found = client.get(reverse("organisations:list"), {"q": "LA06"}).content.decode()
    assert "LA0601" not in found
    # the breadcrumb does not reveal the nation above the province either
    page = client.get(reverse("organisations:detail", args=[tree["village"].pk])).content.decode()
    assert reverse("organisations:detail", args=[tree["vte"].pk]) in page
    assert reverse("organisations:detail", args=[tree["nation"].pk]) not in page


def test_an_administrator_gives_a_role_inside_its_province(client, tree, admin_of):
    admin = admin_of(tree["vte"])
    focal = UserFactory(username="somchai")
    response = client.post(
        reverse("organisations:role_assign", args=[tree["chanthabuly"].pk]),
        {"username": "somchai", "role": Role.FOCAL_POINT},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=focal)
    assert (assignment.role, assignment.organisation, assignment.created_by) == (
        Role.FOCAL_POINT,
        tree["chanthabuly"],
        admin,
    )


def test_an_administrator_of_a_province_cannot_give_a_role_outside_it(client, tree, admin_of):
    admin_of(tree["vte"])
    UserFactory(username="somchai")
    response = client.post(
        reverse("organisations:role_assign", args=[tree["luang"].pk]),
        {"username": "somchai", "role": Role.ADMINISTRATOR},
    )
    assert response.status_code == 404
    assert not RoleAssignment.objects.filter(user__username="somchai").exists()


def test_an_unknown_username_is_explained_and_nothing_is_given(client, tree, admin_of):
    admin_of(tree["vte"])
    response = client.post(
        reverse("organisations:role_assign", args=[tree["chanthabuly"].pk]),
        {"username": "nobody", "role": Role.REVIEWER},
    )
    assert response.status_code == 400
    assert "No active user has this name, username or e-mail." in response.content.decode()
    assert RoleAssignment.objects.count() == 1  # the administrator's own


def test_removing_a_role_is_limited_to_the_scope(client, tree, admin_of):
    admin_of(tree["vte"])
    other = UserFactory()
    inside = grant(other, Role.REVIEWER, tree["chanthabuly"])
    outside = grant(other, Role.REVIEWER, tree["luang"])
    assert client.post(reverse("organisations:role_remove", args=[outside.pk])).status_code == 404
    assert client.post(reverse("organisations:role_remove", args=[inside.pk])).status_code == 302
    assert list(RoleAssignment.objects.filter(user=other)) == [outside]


def test_the_role_list_shows_only_roles_in_scope(client, tree, admin_of):
    admin_of(tree["vte"])
    grant(UserFactory(username="inside_user"), Role.FOCAL_POINT, tree["village"])
    grant(UserFactory(username="outside_user"), Role.FOCAL_POINT, tree["luang"])
    page = client.get(reverse("organisations:roles")).content.decode()
    assert "inside_user" in page
    assert "outside_user" not in page


def test_an_administrator_creates_a_user_with_a_role_in_scope(client, tree, admin_of):
    admin_of(tree["vte"])
    data = {
        "username": "khamla",
        "first_name": "Khamla",
        "email": "khamla@example.org",
        "password1": "a-Long-pass-2026",
        "password2": "a-Long-pass-2026",
        "role": Role.FOCAL_POINT,
        "organisation_code": "LA0101001",
    }
    assert client.post(reverse("organisations:user_create"), data).status_code == 302
    user = get_user_model().objects.get(username="khamla")
    assert user.check_password("a-Long-pass-2026")
    assert RoleAssignment.objects.get(user=user).organisation == tree["village"]


def test_a_new_user_cannot_get_a_role_outside_the_scope(client, tree, admin_of):
    admin_of(tree["vte"])
    data = {
        "username": "khamla",
        "password1": "a-Long-pass-2026",
        "password2": "a-Long-pass-2026",
        "role": Role.REVIEWER,
        "organisation_code": "LA06",
    }
    response = client.post(reverse("organisations:user_create"), data)
    assert response.status_code == 400
    assert "outside the part of the tree you administer" in response.content.decode()
    assert not get_user_model().objects.filter(username="khamla").exists()


def test_a_weak_password_is_refused(client, tree, admin_of):
    admin_of(tree["vte"])
    data = {"username": "khamla", "password1": "12345", "password2": "12345"}
    response = client.post(reverse("organisations:user_create"), data)
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="khamla").exists()


def test_the_upload_page_imports_a_file_and_shows_the_counts(client, reference, admin_of):
    admin_of(reference["LA"])
    content = (
        "\ufeffcode,parent_code,kind,name_lo,name_en\n"
        "LA0101001,LA0101,village,ບ້ານ ຊຽງຍືນ,Ban Xiengyuen\n"
        "LA0101002,LA0101,village,ບ້ານ ມີໄຊ,Ban Mixay\n"
    ).encode()
    response = upload(client, content)
    assert response.status_code == 200
    assert "2 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Organisation.objects.filter(code__startswith="LA010100").count() == 2
    again = upload(client, content)
    assert "0 created, 0 updated, 2 unchanged." in again.content.decode()


def test_the_upload_page_lists_every_problem_and_changes_nothing(client, reference, admin_of):
    admin_of(reference["LA"])
    content = (
        "code,parent_code,kind,name_lo,name_en\n"
        "LA0101001,LA0101,village,ບ້ານ ຊຽງຍືນ,Ban Xiengyuen\n"
        "LA0101002,NOWHERE,village,ບ້ານ ມີໄຊ,Ban Mixay\n"
        "LA0101003,LA0101,hamlet,ບ້ານ,Ban\n"
    ).encode()
    response = upload(client, content)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was changed: the file has 2 problems." in body
    assert "<td>3</td>" in body and "NOWHERE" in body
    assert "<td>4</td>" in body and "hamlet" in body
    assert not Organisation.objects.filter(code__startswith="LA010100").exists()


def test_the_upload_page_is_in_lao_by_default(client, reference):
    user = UserFactory()
    grant(user, Role.ADMINISTRATOR, reference["LA"])
    client.force_login(user)
    body = client.get(reverse("organisations:import")).content.decode()
    assert 'lang="lo"' in body


def test_the_nav_entry_is_shown_to_administrators_only(tree, rf):
    admin, analyst = UserFactory(), UserFactory()
    grant(admin, Role.ADMINISTRATOR, tree["vte"])
    grant(analyst, Role.ANALYST, tree["nation"])
    request = rf.get("/")
    link = reverse("organisations:list")
    assert link in render_to_string("organisations/_nav.html", {"user": admin, "request": request})
    assert link not in render_to_string(
        "organisations/_nav.html", {"user": analyst, "request": request}
    )


def test_the_django_admin_lists_organisations_and_role_assignments(client, tree):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    grant(UserFactory(), Role.REVIEWER, tree["vte"])
    listing = client.get("/admin/organisations/organisation/")
    assert listing.status_code == 200
    assert tree["nation"].name["lo"] in listing.content.decode()  # roots; children open on demand
    found = client.get("/admin/organisations/organisation/", {"q": "LA0101001"})
    assert tree["village"].name["lo"] in found.content.decode()
    assert client.get("/admin/organisations/organisation/add/").status_code == 200
    change = f"/admin/organisations/organisation/{tree['village'].pk}/change/"
    assert client.get(change).status_code == 200
    assert client.get("/admin/organisations/roleassignment/").status_code == 200
