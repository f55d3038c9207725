"""Django's ``createsuperuser``, followed by a one-time enrolment link for the new account: a superuser needs
two-factor authentication (OTP_REQUIRED), and an authenticator is bound only through such a link, never by the
password alone. The link is printed for the person at the console (and sent to the account's e-mail, if set)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser

from union_portal.twofactor import enrolment_link_send


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        User = get_user_model()
        username = options.get(User.USERNAME_FIELD)
        superusers = User._default_manager.db_manager(options["database"]).filter(is_superuser=True)
        if username:
            superusers = superusers.filter(**{User.USERNAME_FIELD: username})
        user = superusers.order_by("-date_joined").first()
        if user is None:
            return
        url = enrolment_link_send(user=user)
        self.stdout.write(
            f"Open this one-time link to set up two-factor authentication (valid once, until it expires):\n{url}"
        )
