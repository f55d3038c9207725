"""Every write of the competitions app. Each state change checks it is allowed and writes the audit log.

The writes live in submodules by sub-domain; this package re-exports them, so callers write
``from competitions import services; services.campaign_create(...)``:

- ``campaigns``: campaigns with their criteria templates, honour bands, periods and groups
- ``teams``: teams and contestants entered, serious accidents recorded
- ``judging``: judges' profiles, conflicts of interest, assignments, and the scores judges submit
- ``results``: closing, releasing and reopening periods; ranks and honours, the year-end award
- ``safety``: the Ankang Cup's hazard reports and proposals, and their assessment
- ``_common``: the helpers these share (the manager check, numbers in messages)"""

from .campaigns import (
    BAND_KINDS,
    DEFAULT_BANDS,
    PERIODS_PER_YEAR,
    TEMPLATES,
    bands_update,
    campaign_create,
    criteria_update,
    group_add,
)
from .judging import (
    assignments_copy,
    conflict_of_interest,
    judge_assign,
    judge_profile_set,
    judge_unassign,
    scores_submit,
)
from .results import annual_ranking, period_close, period_release, period_reopen, year_end_award
from .safety import safety_report_assess, safety_report_submit
from .teams import contestant_enter, team_record_accident, team_register

__all__ = [
    "BAND_KINDS",
    "DEFAULT_BANDS",
    "PERIODS_PER_YEAR",
    "TEMPLATES",
    "annual_ranking",
    "assignments_copy",
    "bands_update",
    "campaign_create",
    "conflict_of_interest",
    "contestant_enter",
    "criteria_update",
    "group_add",
    "judge_assign",
    "judge_profile_set",
    "judge_unassign",
    "period_close",
    "period_release",
    "period_reopen",
    "safety_report_assess",
    "safety_report_submit",
    "scores_submit",
    "team_record_accident",
    "team_register",
    "year_end_award",
]
