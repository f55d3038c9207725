"""Certificates of the honour roll: one PDF per nomination, or the round's as a ZIP."""

import io
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Nomination, Round


def certificate_pdf(*, nomination: Nomination) -> bytes:
    """The nomination's certificate (PDF). Raises ``pdf.UnprintableCharacter`` (a ValidationError naming the
    certificate, the field and the character) when a character of the name or the unit is in none of the fonts."""
    from union_portal import pdf

    round_ = nomination.round
    where = {"number": nomination.certificate_number}
    pdf.check_printable(nomination.candidate_name, field=_("the name on certificate %(number)s") % where)
    pdf.check_printable(nomination.unit_name or "", field=_("the unit on certificate %(number)s") % where)
    body = _(
        "distinguished themselves in %(year)s and were awarded the title of %(award)s. This certificate is issued in recognition."
    ) % {
        "year": round_.year,
        "award": nomination.award_type.name,
    }
    if nomination.is_individual:
        name = _("%(name)s of %(unit)s") % {"name": nomination.candidate_name, "unit": nomination.unit_name}
    else:
        name = nomination.candidate_name
    approved = round_.approved_on or timezone.localdate()
    return pdf.certificate(
        heading=_("Certificate of Honour"),
        name=name,
        body=body,
        issuer=round_.issuer or round_.org.name,
        date_text=_("%(y)s-%(m)s-%(d)s") % {"y": approved.year, "m": approved.month, "d": approved.day}
        + f"  No. {nomination.certificate_number}",
    )


def certificates_zip(*, round_: Round) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for nomination in selectors.honour_roll_of(round_=round_):
            archive.writestr(
                f"{nomination.certificate_number}-{nomination.candidate_name}.pdf",
                certificate_pdf(nomination=nomination),
            )
    return buffer.getvalue()
