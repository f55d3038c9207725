"""Telling users what happened. Services call ``notify``; Celery sends SMS and e-mail after commit."""

import functools

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .channels import notification_channels, wechat_consent_refused
from .crypto import blind_index
from .enqueue import enqueue
from .locks import delivery_for_update
from .models import Delivery, Notification, WechatBinding, WechatConsent
from .wechat import NO_CONSENT, WechatError, mini_program_page, template_data, template_for


def notify(
    *, user, event_key: str, title: str, body: str, link: str = "", phone: str = "", email: str = ""
) -> Notification | None:
    """Put a message in the user's inbox and queue SMS/e-mail/WeChat. Idempotent per ``event_key``: a second
    call for the same event returns None and sends nothing. ``user`` None tells a person without a login by SMS
    (``phone``) and e-mail only. A user who turned SMS off gets none; a WeChat message goes to a user who is
    bound, has not turned WeChat off and has a consent left for the template of this kind of message."""
    if Notification.objects.filter(event_key=event_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, event_key=event_key, title=title, body=body, link=link
            )
    except IntegrityError:  # the same event raised concurrently
        return None
    if user is not None:
        transaction.on_commit(functools.partial(forget_unread_count, user.pk))
    email = email or getattr(user, "email", "")
    sms_on, binding = _outside_channels(user, event_key, phone)
    deliveries = []
    if phone and sms_on:
        deliveries.append(Delivery(notification=notification, channel=Delivery.Channel.SMS, address=phone))
    if email:
        deliveries.append(Delivery(notification=notification, channel=Delivery.Channel.EMAIL, address=email))
    if binding is not None:
        deliveries.append(Delivery(notification=notification, channel=Delivery.Channel.WECHAT, address=binding.openid))
    Delivery.objects.bulk_create(deliveries)
    for delivery in Delivery.objects.filter(notification=notification):
        transaction.on_commit(functools.partial(_send, delivery.pk))
    return notification


def _outside_channels(user, event_key: str, phone: str) -> tuple[bool, WechatBinding | None]:
    """(SMS on?, the WeChat binding to send to or None) for the user and this event. No query when there is
    nothing to decide (no user, or neither a phone nor a WeChat template)."""
    template = template_for(event_key)
    if user is None or (not phone and template is None):
        return True, None
    chosen = notification_channels(user=user)
    if template is None or not chosen["wechat"]:
        return chosen["sms"], None
    binding = WechatBinding.objects.filter(
        user=user, consents__template_id=template["id"], consents__remaining__gt=0
    ).first()
    return chosen["sms"], binding


def _send(delivery_id: int) -> None:
    """Queue one delivery after commit. A broker that is down must not fail the request that raised the
    event (its data is committed): the delivery stays PENDING (requeue_pending_deliveries sends it later)."""
    from .tasks import deliver_task

    enqueue(deliver_task, delivery_id, what=f"delivery {delivery_id}")


def deliver(delivery_id: int) -> Delivery:
    """Send one delivery once. Locks the row so two workers never both send it; a sent one is left alone."""
    from django.core.mail import send_mail

    from .sms import get_backend

    with transaction.atomic():
        delivery = delivery_for_update(delivery_id)
        if delivery.status == Delivery.Status.SENT:
            return delivery
        delivery.attempts += 1
        note = delivery.notification
        if delivery.channel == Delivery.Channel.SMS:
            delivery.provider_id = get_backend().send(delivery.address, f"{note.title}：{note.body}")
        elif delivery.channel == Delivery.Channel.WECHAT:
            delivery.provider_id = _send_wechat(delivery, note)
        else:
            send_mail(note.title, note.body, None, [delivery.address])
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.save()
    return delivery


def _send_wechat(delivery: Delivery, note: Notification) -> str:
    """Send one subscription message and use one of the user's consents for its template. Runs inside
    ``deliver``'s transaction, which holds the delivery's row lock; locks the consent row, so two messages
    never both use the last consent. A send that fails rolls back, and the consent is not used."""
    from .wechat import get_backend

    template = template_for(note.event_key)
    if template is None or note.user_id is None:
        raise WechatError("no WeChat template for this kind of message", retryable=False)
    consent = (
        WechatConsent.objects.select_for_update(of=("self",))
        .select_related("binding")
        .filter(binding__user_id=note.user_id, template_id=template["id"])
        .first()
    )
    if consent is None or consent.binding.openid_hash != blind_index(delivery.address):
        raise WechatError("the user is no longer bound to this WeChat account", retryable=False)
    if consent.remaining < 1:
        raise WechatError("no subscription consent left for the template", errcode=NO_CONSENT)
    message_id = get_backend().send(
        delivery.address, template["id"], template_data(template["fields"], note), mini_program_page(note)
    )
    WechatConsent.objects.filter(pk=consent.pk).update(remaining=F("remaining") - 1)
    return message_id


def wechat_refused(delivery_id: int) -> None:
    """WeChat (or our count) says the user has no consent left for the delivery's template: set ours to 0."""
    delivery = Delivery.objects.select_related("notification").get(pk=delivery_id)
    template = template_for(delivery.notification.event_key)
    if template is not None and delivery.notification.user_id is not None:
        wechat_consent_refused(user_id=delivery.notification.user_id, template_id=template["id"])


def delivery_failed(delivery_id: int, error: str, *, final: bool) -> None:
    Delivery.objects.filter(pk=delivery_id).exclude(status=Delivery.Status.SENT).update(
        status=Delivery.Status.FAILED if final else Delivery.Status.PENDING,
        last_error=error[:300],
    )


def mark_read(*, user, notification_ids=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    marked = qs.update(read_at=timezone.now())
    if marked:
        transaction.on_commit(functools.partial(forget_unread_count, user.pk))
    return marked


# The unread count on the 消息中心 link of every page: kept in the cache per user, counted again (one query)
# only after a notification for the user was created or read. Kept at most UNREAD_TTL seconds as a bound on
# any change that did not go through notify/mark_read.
UNREAD_TTL = 600


def _unread_key(user_id: int) -> str:
    return f"inbox-unread:{user_id}"


def unread_count(user) -> int:
    """The number of the user's unread notifications (0 for an anonymous user): from the cache, or one query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_TTL)
    return int(count)


def forget_unread_count(user_id: int) -> None:
    cache.delete(_unread_key(user_id))


def requeue_pending_deliveries(*, older_than_minutes: int = 10, limit: int = 5000) -> int:
    """Queue again the deliveries still PENDING some minutes after they were created: their first enqueue
    failed (broker down) or their task was lost. ``deliver`` locks and skips a sent one, so a delivery
    queued twice is still sent once. Returns how many were queued."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for delivery_id in ids:
        _send(delivery_id)
    return len(ids)
