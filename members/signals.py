"""The per-user cache (union_portal.usercache) holds whether a login's member record holds membership (the
workers' menu and home tiles): a saved or deleted member record with a login replaces that login's entries.
Statuses change through the model; the one queryset update (members.services._common) unlinks records that do
not hold membership, which changes no answer."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from union_portal import usercache

from .models import Member


@receiver(post_save, sender=Member)
@receiver(post_delete, sender=Member)
def member_changed(sender, instance, **kwargs):
    usercache.user_changed(instance.user_id)
