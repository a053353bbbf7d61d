"""Django REST framework's messages that API clients meet, listed here so `makemessages` puts
them in our Lao catalog (DRF ships no Lao; our catalog takes precedence, as for Django's own
messages in readiness/django_strings.py).

Nothing imports this module at run time; it exists for the translation tools only."""

from django.utils.translation import gettext_noop

DRF_MESSAGES = [
    gettext_noop("A server error occurred."),
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("You do not have permission to perform this action."),
    gettext_noop("Not found."),
    gettext_noop('Method "{method}" not allowed.'),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop("Invalid cursor"),
]
