"""Telling a member what was done with their membership and their data (PIPL art. 44–45): in the portal
inbox when they have a login, and by SMS to the roll's mobile either way.

Other apps call these through ``members.services``; mutual_aid tells a member of a change of the account a
claim pays into with ``member_tell_payee_change`` (the change itself and its confirmation are mutual_aid's)."""

from django.utils.translation import gettext as _

from union_portal.crypto import mask_account
from union_portal.models import Notification

from ..models import Member

MY_PAGE = "/members/me/"


def member_tell(*, member: Member, event_key: str, title: str, body: str, link: str = MY_PAGE) -> Notification | None:
    """Tell ``member`` of an event: inbox (when the membership is linked to a login) and SMS to the roll's
    mobile. Idempotent per ``event_key`` (union_portal.notifications.notify)."""
    from union_portal.notifications import notify

    return notify(
        user=member.user if member.user_id else None,
        event_key=event_key,
        title=title,
        body=body,
        link=link,
        phone=member.mobile or "",
    )


def member_tell_payee_change(
    *, member: Member, event_key: str, new_account: str, link: str = MY_PAGE
) -> Notification | None:
    """Tell ``member`` that the bank account a payment to them goes to was changed, showing only the account's
    last digits, so a change they did not ask for is noticed before the money leaves. ``event_key`` names the
    change once (e.g. ``claim:42:payee:<change id>``): calling again for the same change sends nothing."""
    return member_tell(
        member=member,
        event_key=event_key,
        title=_("Your payee account was changed"),
        body=_(
            "Payments to you will go to the account %(account)s. If you did not ask for this change, "
            "contact your union at once."
        )
        % {"account": mask_account(new_account)},
        link=link,
    )
