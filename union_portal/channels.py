"""A user's outside channels for notifications: their choice of SMS / WeChat, and their WeChat binding with its
subscription consents (docs/wechat.md). ``notify`` reads them; the account page and the API change them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .audit import audit_record
from .crypto import blind_index
from .models import NotificationPreference, WechatBinding, WechatConsent
from .wechat import WechatError, get_backend, mask_openid

# How many messages of one template a user may have agreed to at most: a mini-program asking in a loop must
# not build a stock of thousands.
MAX_CONSENTS = 50


# --- reads ---------------------------------------------------------------------------------------------


def notification_channels(*, user) -> dict[str, bool]:
    """The user's choice: {"sms": bool, "wechat": bool}; both on for a user who never chose."""
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None:
        return {"sms": True, "wechat": True}
    return {"sms": preference.sms, "wechat": preference.wechat}


def wechat_binding(*, user) -> WechatBinding | None:
    return WechatBinding.objects.filter(user=user).prefetch_related("consents").first()


def wechat_status(*, user) -> dict:
    """What the user may know of their binding: bound or not, the openid masked, the consents left per
    template id."""
    binding = wechat_binding(user=user)
    if binding is None:
        return {"bound": False, "openid": "", "bound_at": None, "consents": {}}
    return {
        "bound": True,
        "openid": mask_openid(binding.openid),
        "bound_at": binding.created_at,
        "consents": {c.template_id: c.remaining for c in binding.consents.all()},
    }


def configured_template_ids() -> dict[str, str]:
    """The template id of each kind of message the portal sends by WeChat (kinds without one are left out)."""
    from django.conf import settings

    templates: dict[str, dict] = settings.WECHAT_TEMPLATES
    return {kind: str(t["id"]) for kind, t in templates.items() if t.get("id")}


# --- writes --------------------------------------------------------------------------------------------


@transaction.atomic
def notification_channels_set(*, user, sms: bool, wechat: bool) -> dict[str, bool]:
    """Record the user's choice of channels (the inbox and e-mail are always on)."""
    before = notification_channels(user=user)
    NotificationPreference.objects.update_or_create(user=user, defaults={"sms": sms, "wechat": wechat})
    after = {"sms": sms, "wechat": wechat}
    if after != before:
        audit_record(actor=user, action="account.notification_channels", obj=user, detail={"from": before, "to": after})
    return after


def wechat_bind(*, user, code: str) -> WechatBinding:
    """Bind the WeChat identity behind a mini-program login code (``wx.login``) to ``user``. The code is
    exchanged with WeChat first (outside the transaction). Binding the same openid again changes nothing;
    a different one replaces the old binding and its consents. An openid bound to another user is refused."""
    code = (code or "").strip()
    if not code or len(code) > 128:
        raise ValidationError({"code": _("Log in again in the mini-program: the login code is missing.")})
    try:
        openid = get_backend().code_to_openid(code)
    except WechatError as exc:
        if exc.retryable:
            raise ValidationError(_("WeChat could not be reached. Try again in a moment.")) from exc
        raise ValidationError({"code": _("The login code is invalid or has expired. Log in again.")}) from exc
    openid_hash = blind_index(openid)
    try:
        with transaction.atomic():
            current = WechatBinding.objects.select_for_update().filter(user=user).first()
            if current is not None and current.openid_hash == openid_hash:
                return current
            if WechatBinding.objects.filter(openid_hash=openid_hash).exclude(user=user).exists():
                raise ValidationError(_("This WeChat account is already bound to another portal account."))
            if current is not None:
                current.delete()
            binding = WechatBinding.objects.create(user=user, openid=openid, openid_hash=openid_hash)
            audit_record(
                actor=user,
                action="account.wechat_bind",
                obj=user,
                detail={"openid": mask_openid(openid), "replaced": current is not None},
            )
    except IntegrityError as exc:  # the same openid bound concurrently by someone else
        raise ValidationError(_("This WeChat account is already bound to another portal account.")) from exc
    return binding


@transaction.atomic
def wechat_unbind(*, user) -> bool:
    """Remove the user's binding and its consents; False when there was none."""
    binding = WechatBinding.objects.select_for_update().filter(user=user).first()
    if binding is None:
        return False
    audit_record(actor=user, action="account.wechat_unbind", obj=user, detail={"openid": mask_openid(binding.openid)})
    binding.delete()
    return True


@transaction.atomic
def wechat_consent_add(*, user, template_ids: list[str]) -> dict[str, int]:
    """Count one more consent for each template id the user accepted in ``wx.requestSubscribeMessage``.
    Only the portal's configured templates are counted; the user must be bound. Returns the consents left."""
    binding = WechatBinding.objects.select_for_update().filter(user=user).first()
    if binding is None:
        raise ValidationError(_("Bind your WeChat account first."))
    known = set(configured_template_ids().values())
    unknown = [t for t in template_ids if t not in known]
    if unknown:
        raise ValidationError(
            {"template_ids": _("These are not templates of this portal: %(ids)s") % {"ids": ", ".join(unknown)}}
        )
    for template_id in dict.fromkeys(template_ids):
        consent, _created = WechatConsent.objects.get_or_create(binding=binding, template_id=template_id)
        WechatConsent.objects.filter(pk=consent.pk, remaining__lt=MAX_CONSENTS).update(remaining=F("remaining") + 1)
    return {c.template_id: c.remaining for c in binding.consents.all()}


def wechat_consent_refused(*, user_id: int, template_id: str) -> None:
    """WeChat says the user has no consent left for the template: forget ours (it is WeChat's count that
    holds)."""
    WechatConsent.objects.filter(binding__user_id=user_id, template_id=template_id).update(remaining=0)
