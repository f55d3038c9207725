"""Hardship files after opening: the audited full view, the yearly review (动态管理), closure, the follow-up after
recovery, and the two daily jobs (the review reminder and the sweep of the roll). Opening a file is the
application flow's (``file_open`` in services/applications.py)."""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.selectors import member_roll_states
from union_portal.audit import audit_record
from union_portal.models import User
from union_portal.notifications import notify
from union_portal.roles import Role, role_holders
from union_portal.tree import ancestor_path_at, is_within

from ..models import Category, CloseReason, FilePerson, FileReview, FileStatus, HardshipFile
from ..permissions.files import can_change_file, can_reveal_file
from ..rules import per_capita_monthly, propose_category
from ..selectors.files import DISTRICT_DEPTH, files_due_for_reminder, open_files_for_sweep, rules_in_force


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept on the last day of a shorter month (2025-02-28 + 12 = 2026-02-28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _locked(file: HardshipFile) -> HardshipFile:
    """The file row locked FOR UPDATE (two staff acting on one file at once act one after the other)."""
    return HardshipFile.objects.select_for_update().select_related("member", "org", "application").get(pk=file.pk)


def _require_change(by: User, file: HardshipFile) -> None:
    if not can_change_file(by, file):
        raise PermissionDenied


def _require_open(file: HardshipFile) -> None:
    if file.status != FileStatus.OPEN:
        raise ValidationError(_("This file is closed."))


def _file_link(file: HardshipFile) -> str:
    return reverse("assistance:file_detail", args=[file.pk])


def _tell_worker(file: HardshipFile, event: str, title: str, body: str) -> None:
    """Inbox and SMS to the worker: the texts name no category, illness or income (they point to the inbox)."""
    member = file.member
    notify(
        user=member.user,
        event_key=f"assistance.file.{file.pk}.{event}",
        title=title,
        body=body,
        link=reverse("assistance:my_file") if member.user_id else "",
        phone=member.mobile or "",
    )


def _file_staff(file: HardshipFile) -> list[User]:
    """The handlers of the file's union and the township staff above it (active accounts)."""
    users = {u.pk: u for u in role_holders(Role.HANDLER, at=file.org)}
    users.update({u.pk: u for u in role_holders(Role.TOWNSHIP_STAFF, at_or_above=file.org)})
    return [users[pk] for pk in sorted(users)]


# --- the full view -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileDetails:
    """The household's sensitive details as recorded in the application: people with their health, incomes and
    rigid spending. Shown only after ``file_reveal``."""

    people: list
    incomes: list
    spending: list


def file_reveal(*, by: User, file: HardshipFile) -> FileDetails:
    """The household's health and income details and ID numbers in full, for a user entitled over the file's
    union; every view and every refusal is audited."""
    if not can_reveal_file(by, file):
        audit_record(actor=by, action="assistance.file_reveal", obj=file, result="denied")
        raise PermissionDenied
    audit_record(actor=by, action="assistance.file_reveal", obj=file, detail={"fields": ["health", "income"]})
    application = file.application
    return FileDetails(
        people=list(application.household.all()),
        incomes=list(application.incomes.all()),
        spending=list(application.spending.all()),
    )


# --- the yearly review ---------------------------------------------------------------------------------------


class ReviewOutcome:
    KEEP = FileReview.Outcome.KEPT
    CHANGE = FileReview.Outcome.CHANGED
    CLOSE = FileReview.Outcome.CLOSED


def file_review_proposal(
    *, file: HardshipFile, income_12m: Decimal, spending_12m: Decimal, household_size: int, today: dt.date
):
    """The category the rules in force give the re-checked figures (causes as in the application)."""
    rules = rules_in_force(org=file.org, on=today)
    return propose_category(
        income_12m=income_12m,
        spending_12m=spending_12m,
        household_size=household_size,
        causes=file.application.causes or [],
        rules=rules,
    ), rules


def _check_figures(*, income_12m: Decimal, spending_12m: Decimal, household_size: int) -> None:
    errors = []
    if income_12m is None or income_12m < 0:
        errors.append(_("The household income must be an amount of zero or more."))
    if spending_12m is None or spending_12m < 0:
        errors.append(_("The rigid spending must be an amount of zero or more."))
    if not household_size or household_size < 1:
        errors.append(_("A household has at least one member."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def file_review(
    *,
    by: User,
    file: HardshipFile,
    income_12m: Decimal,
    spending_12m: Decimal,
    household_size: int,
    outcome: str,
    category: str = "",
    note: str = "",
    close_reason: str = "",
    today: dt.date | None = None,
) -> FileReview:
    """Record the yearly review of an open file (township staff or the district admin over its union): the new
    12-month income, spending and household size are checked against the rules in force, the category the rules
    propose is worked out, and the staff keep the category, change it, or close the file. A decision that
    differs from the proposal, a change and a closure need a note. Keeping or changing the category extends
    the validity by the rule's months (from the end of the current validity, or from today when it has
    lapsed). Locks the file row."""
    today = today or timezone.localdate()
    _require_change(by, file)
    file = _locked(file)
    _require_open(file)
    _check_figures(income_12m=income_12m, spending_12m=spending_12m, household_size=household_size)
    if today < file.opened_on:
        raise ValidationError(_("The review cannot be dated before the file was opened."))
    proposal, rules = file_review_proposal(
        file=file, income_12m=income_12m, spending_12m=spending_12m, household_size=household_size, today=today
    )
    note = (note or "").strip()
    before = file.category
    if outcome == ReviewOutcome.KEEP:
        after = before
    elif outcome == ReviewOutcome.CHANGE:
        after = category
        if after not in Category.values or after == Category.NONE:
            raise ValidationError(_("Choose the new category."))
        if after == before:
            raise ValidationError(_("The new category is the same as the current one: choose to keep it."))
    elif outcome == ReviewOutcome.CLOSE:
        after = before
        if close_reason not in CloseReason.values:
            raise ValidationError(_("Choose the reason for closing the file."))
    else:
        raise ValidationError(_("Choose the outcome of the review."))
    if outcome == ReviewOutcome.CLOSE:
        differs = proposal.category != Category.NONE
    else:
        differs = after != proposal.category
    if (differs or outcome != ReviewOutcome.KEEP) and not note:
        raise ValidationError(_("Give the reason for the decision: it differs from the proposal or changes the file."))
    per_capita = per_capita_monthly(income_12m, household_size)
    review = FileReview.objects.create(
        file=file,
        reviewed_on=today,
        income_12m=income_12m,
        household_size=household_size,
        per_capita_income=per_capita,
        category_before=before,
        category_after=after,
        outcome=outcome,
        note=note,
        by=by,
    )
    file.household_size = household_size
    file.per_capita_income = per_capita
    file.poverty_line = Decimal(str(rules["poverty_line"]))
    file.last_reviewed_on = today
    file.category = after
    fields = ["household_size", "per_capita_income", "poverty_line", "last_reviewed_on", "category", "updated_at"]
    if outcome != ReviewOutcome.CLOSE:
        file.valid_until = add_months(max(file.valid_until, today), int(rules["file_valid_months"]))
        fields.append("valid_until")
    file.save(update_fields=fields)
    audit_record(
        actor=by,
        action="assistance.file_review",
        obj=file,
        detail={
            "outcome": outcome,
            "category_before": before,
            "category_after": after,
            "proposed": proposal.category,
            "valid_until": file.valid_until.isoformat(),
        },
    )
    if outcome == ReviewOutcome.CLOSE:
        _close(by=by, file=file, reason=close_reason, closed_on=today, note=note)
    else:
        _tell_worker(
            file,
            f"reviewed.{today.isoformat()}",
            _("Your hardship file was reviewed"),
            _("The yearly review of your hardship file is done. Log in to the portal to see it."),
        )
    return review


# --- closure and follow-up -----------------------------------------------------------------------------------


def _close(*, by: User, file: HardshipFile, reason: str, closed_on: dt.date, note: str) -> HardshipFile:
    file.status = FileStatus.CLOSED
    file.close_reason = reason
    file.closed_on = closed_on
    file.close_note = note
    file.closed_by = by
    file.attention = ""
    file.attention_since = None
    file.save(
        update_fields=[
            "status",
            "close_reason",
            "closed_on",
            "close_note",
            "closed_by",
            "attention",
            "attention_since",
            "updated_at",
        ]
    )
    # The people leave the open files in the same transaction: they may be in a new file from now on.
    FilePerson.objects.filter(file=file).update(is_open=False)
    audit_record(
        actor=by,
        action="assistance.file_close",
        obj=file,
        detail={"reason": reason, "closed_on": closed_on.isoformat(), "note": note},
    )
    if reason != CloseReason.DECEASED:
        _tell_worker(
            file,
            "closed",
            _("Your hardship file was closed"),
            _("Your hardship file was closed. Log in to the portal to see why."),
        )
    return file


@transaction.atomic
def file_close(
    *,
    by: User,
    file: HardshipFile,
    reason: str,
    closed_on: dt.date,
    note: str = "",
    follow_up_on: dt.date | None = None,
    today: dt.date | None = None,
) -> HardshipFile:
    """Close an open file (township staff or the district admin over its union) with its reason and date: not
    in the future, not before the file was opened; "other" needs a note. Its people leave the open files in the
    same transaction. A household out of hardship may get a follow-up date. Locks the file row."""
    today = today or timezone.localdate()
    _require_change(by, file)
    file = _locked(file)
    _require_open(file)
    note = (note or "").strip()
    if reason not in CloseReason.values:
        raise ValidationError(_("Choose the reason for closing the file."))
    if closed_on is None or closed_on > today:
        raise ValidationError(_("The closing date cannot be in the future."))
    if closed_on < file.opened_on:
        raise ValidationError(_("The closing date cannot be before the file was opened."))
    if reason == CloseReason.OTHER and not note:
        raise ValidationError(_("Say why the file is closed."))
    if follow_up_on is not None and reason != CloseReason.RECOVERED:
        raise ValidationError(_("A follow-up is recorded only for a household out of hardship."))
    if follow_up_on is not None and follow_up_on < closed_on:
        raise ValidationError(_("The follow-up date cannot be before the closing date."))
    file = _close(by=by, file=file, reason=reason, closed_on=closed_on, note=note)
    if follow_up_on is not None:
        file.follow_up_on = follow_up_on
        file.save(update_fields=["follow_up_on", "updated_at"])
    return file


@transaction.atomic
def file_follow_up_set(
    *, by: User, file: HardshipFile, follow_up_on: dt.date | None, note: str = "", today: dt.date | None = None
) -> HardshipFile:
    """Record (or, with no date, end) the follow-up of a household closed out of hardship: the next date the union
    checks with it and what it found. Locks the file row."""
    today = today or timezone.localdate()
    _require_change(by, file)
    file = _locked(file)
    if file.status != FileStatus.CLOSED or file.close_reason != CloseReason.RECOVERED:
        raise ValidationError(_("A follow-up is recorded only for a household out of hardship."))
    if follow_up_on is not None and follow_up_on < file.closed_on:
        raise ValidationError(_("The follow-up date cannot be before the closing date."))
    file.follow_up_on = follow_up_on
    file.follow_up_note = (note or "").strip()
    file.save(update_fields=["follow_up_on", "follow_up_note", "updated_at"])
    audit_record(
        actor=by,
        action="assistance.file_follow_up",
        obj=file,
        detail={"follow_up_on": follow_up_on.isoformat() if follow_up_on else None, "note": file.follow_up_note},
    )
    return file


@transaction.atomic
def file_attention_clear(*, by: User, file: HardshipFile, note: str) -> HardshipFile:
    """Clear the sweep's flag on an open file that stays open (the staff checked the roll change), with a note.
    Locks the file row."""
    _require_change(by, file)
    file = _locked(file)
    _require_open(file)
    note = (note or "").strip()
    if not file.attention:
        raise ValidationError(_("This file is not flagged."))
    if not note:
        raise ValidationError(_("Say why the file stays open."))
    was = file.attention
    file.attention = ""
    file.attention_since = None
    file.save(update_fields=["attention", "attention_since", "updated_at"])
    audit_record(actor=by, action="assistance.file_attention_clear", obj=file, detail={"was": was, "note": note})
    return file


# --- the daily jobs ------------------------------------------------------------------------------------------


def file_remind_due(*, today: dt.date | None = None) -> int:
    """Remind the worker and the staff of each open file whose validity ends within its rules' reminder period
    (review_reminder_days), once per validity period (``reminded_for``; notify is idempotent per event too).
    The texts name no category, illness or income. Returns the number of files reminded."""
    today = today or timezone.localdate()
    done = 0
    for file in files_due_for_reminder(today=today):
        rules = rules_in_force(org=file.org, on=today)
        if file.valid_until - dt.timedelta(days=int(rules["review_reminder_days"])) > today:
            continue
        with transaction.atomic():
            updated = (
                HardshipFile.objects.filter(pk=file.pk, status=FileStatus.OPEN)
                .exclude(reminded_for=file.valid_until)
                .update(reminded_for=file.valid_until)
            )
            if not updated:
                continue
            key = file.valid_until.isoformat()
            _tell_worker(
                file,
                f"due.{key}",
                _("Your hardship file is due for review"),
                _("Your hardship file is due for its yearly review. Log in to the portal for details."),
            )
            for user in _file_staff(file):
                notify(
                    user=user,
                    event_key=f"assistance.file.{file.pk}.due.{key}.{user.pk}",
                    title=_("A hardship file is due for review"),
                    body=_("File %(number)s is valid until %(date)s: review it.")
                    % {"number": file.number, "date": key},
                    link=_file_link(file),
                )
            audit_record(actor=None, action="assistance.file_reminded", obj=file, detail={"valid_until": key})
        done += 1
    return done


def _roll_change(status: str, org_path: str, district_path: str) -> str:
    """The attention code for a member's roll state ("" when nothing changed)."""
    if status != "active":
        return status
    if not is_within(org_path, district_path):
        return "outside_district"
    return ""


def file_sweep_roll(*, today: dt.date | None = None) -> int:
    """Flag each open file whose member's roll status is no longer active, or whose member's union is now
    outside the file's district, and tell the staff of that union; the staff close the file or clear the flag.
    Files already flagged are left alone (running it twice flags once). Returns the number flagged."""
    today = today or timezone.localdate()
    files = list(open_files_for_sweep())
    states = member_roll_states(member_ids=[f.member_id for f in files])
    flagged = 0
    for file in files:
        state = states.get(file.member_id)
        if state is None:
            continue
        code = _roll_change(state[0], state[1], ancestor_path_at(file.org.path, DISTRICT_DEPTH))
        if not code:
            continue
        with transaction.atomic():
            updated = HardshipFile.objects.filter(pk=file.pk, status=FileStatus.OPEN, attention="").update(
                attention=code, attention_since=today
            )
            if not updated:
                continue
            file.attention = code
            audit_record(actor=None, action="assistance.file_flagged", obj=file, detail={"reason": code})
            for user in _file_staff(file):
                notify(
                    user=user,
                    event_key=f"assistance.file.{file.pk}.flagged.{today.isoformat()}.{user.pk}",
                    title=_("A hardship file needs attention"),
                    body=_("File %(number)s: %(reason)s. Close the file or clear the flag.")
                    % {"number": file.number, "reason": file.get_attention_display()},
                    link=_file_link(file),
                )
        flagged += 1
    return flagged
