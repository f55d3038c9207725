"""Satisfaction surveys (满意度测评): a core capability. The dashboard scores units by them in its
assessments; other apps (labour's return visits) ask workers through them. Answers are anonymous."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    """A short satisfaction survey (满意度测评) about one service, published by the district (or city) to the
    members of its subtree. Answers are stored without any link to the person who gave them."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    owner = models.ForeignKey("union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    title = models.CharField(_("title"), max_length=200)
    service = models.CharField(_("service assessed"), max_length=100)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "owner"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    """A rating question (1 = very dissatisfied … 5 = very satisfied) or a free-text comment."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating 1–5")
        TEXT = "text", _("Comment")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.RATING)

    class Meta:
        ordering = ["survey_id", "position", "id"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text


class SurveyParticipation(models.Model):
    """That a member has answered a survey: enforces "once each" in the database. Deliberately holds no
    link to the answers and no time finer than the day, so answers cannot be matched to people."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on = models.DateField(_("answered on"))

    class Meta:
        ordering = ["survey_id", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="one_answer_per_member")]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.user_id}"


class SurveyResponse(models.Model):
    """One anonymous set of answers: no user, no member, no timestamp; only the grassroots union the
    respondent belonged to, so results can be reported by township (any level above the union)."""

    # Random keys (not a sequence) here and on the answers: the order of rows never matches the order of
    # the "has answered" rows, so they cannot be paired up.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    union = models.ForeignKey("union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+")

    SCOPE_ORG = "union"

    class Meta:
        ordering = ["survey_id", "id"]

    def __str__(self) -> str:
        return str(self.id)


class SurveyAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["question_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or self.comment[:20]}"
