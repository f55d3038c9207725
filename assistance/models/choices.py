"""Choices shared by the parts of the assistance app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Category", "Cause", "Relation", "Health", "WorkStatus"]


class Category(models.TextChoices):
    """The hardship categories of DOMAIN.md "Hardship assistance" (every threshold is in ``RuleSet``)."""

    DEEP = "deep", _("Deep hardship")
    RELATIVE = "relative", _("Relative hardship")
    ACCIDENT = "accident", _("Hardship from an accident")
    NONE = "none", _("Not in hardship")


class Cause(models.TextChoices):
    """Causes of hardship. Which of them aggravate (make a household under the line 深度困难) is a rule."""

    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
    DISABILITY = "disability", _("Disability")
    CHILD_IN_EDUCATION = "child_in_education", _("A child in education")
    LOSS_OF_BREADWINNER = "loss_of_breadwinner", _("Loss of the breadwinner")
    ACCIDENT = "accident", _("Accident")
    SUDDEN_ILLNESS = "sudden_illness", _("Sudden illness")
    DISASTER = "disaster", _("Natural disaster")
    SPOUSE_UNEMPLOYED = "spouse_unemployed", _("Unemployment of a spouse")
    OTHER = "other", _("Other")


class Relation(models.TextChoices):
    SELF = "self", _("The worker")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other relative")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Chronic illness")
    SERIOUS = "serious", _("Serious illness")
    DISABLED = "disabled", _("Disabled")


class WorkStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed or farming")
    UNEMPLOYED = "unemployed", _("Unemployed")
    RETIRED = "retired", _("Retired")
    STUDENT = "student", _("In education")
    PRESCHOOL = "preschool", _("Pre-school child")
    UNABLE = "unable", _("Unable to work")
