"""The join poster (入会海报) a grassroots union prints for the factory floor: its name, a QR code that opens its
join form on a phone, and what to do."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from union_portal import pdf
from union_portal.models import OrgUnit


def join_poster_url(*, org: OrgUnit) -> str:
    """The address in the poster's QR code: the union's join form at the site's public address (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + reverse("members:join_apply", args=[org.pk])


def join_poster_pdf(*, org: OrgUnit) -> bytes:
    """The A4 poster as PDF. Raises ``pdf.UnprintableCharacter`` when the union's name has a character no font
    of the portal has."""
    url = join_poster_url(org=org)
    return pdf.poster(
        heading=_("Join the union"),
        name=org.name,
        qr_data=url,
        qr_caption=url,
        steps=[
            _("Scan the QR code with your phone's camera or WeChat."),
            _("Log in, or sign up with your mobile number."),
            _("Fill in your name, ID number and mobile number, and send the application."),
            _("The union checks it and tells you by SMS; your membership card is then on your phone."),
        ],
        footer=_("Keqiao District Federation of Trade Unions"),
    )
