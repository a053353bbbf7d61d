"""Roles and users: who may do what where in the administrative tree."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from organisations.models import Organisation, RoleAssignment


@transaction.atomic
def role_assign(
    *, user: AbstractBaseUser, role: str, organisation: Organisation, by: AbstractBaseUser | None
) -> RoleAssignment:
    """Gives `user` the role at `organisation` (and so its subtree); assigning twice is a no-op."""
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organisation=organisation, defaults={"created_by": by}
    )
    return assignment


@transaction.atomic
def role_remove(*, assignment: RoleAssignment) -> None:
    assignment.delete()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    role: str = "",
    organisation: Organisation | None = None,
    by: AbstractBaseUser | None = None,
) -> AbstractBaseUser:
    """A new account (password already validated by the form), with its first role if given."""
    from django.contrib.auth import get_user_model

    user = get_user_model()(username=username, email=email, first_name=full_name)
    user.set_password(password)
    user.save()
    if role and organisation is not None:
        role_assign(user=user, role=role, organisation=organisation, by=by)
    return user
