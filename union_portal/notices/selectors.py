"""Reads of the public-notice capability."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import Objection, PublicNotice, ReviewStep


def notices_of(subject: models.Model) -> QuerySet[PublicNotice]:
    return PublicNotice.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).order_by("-starts_on", "-id")


def objections_open(*, notice: PublicNotice) -> QuerySet[Objection]:
    return notice.objections.filter(status=Objection.Status.OPEN)


def reviews_of(subject: models.Model) -> QuerySet[ReviewStep]:
    return ReviewStep.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).order_by("created_at", "id")
