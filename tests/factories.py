"""factory_boy factories for the whole suite."""

import factory
from django.contrib.auth import get_user_model

from organisations.models import Organisation, OrganisationKind, RoleAssignment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-Strong-pass-1")


def make_organisation(
    *, code: str, kind: str = OrganisationKind.OTHER, parent: Organisation | None = None, **fields
) -> Organisation:
    """Adds a node to the tree (treebeard needs add_root/add_child, not a plain create)."""
    name = fields.pop("name", {"lo": f"ອົງການ {code}", "en": f"Organisation {code}"})
    values = {"code": code, "kind": kind, "name": name, **fields}
    if parent is None:
        return Organisation.add_root(**values)
    return parent.add_child(**values)


def grant(user, role: str, organisation: Organisation) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, organisation=organisation)
