"""Fixtures of the mutual-aid tests, reused by the fault tests (a covered worker, claim helpers)."""

from tests.mutual_aid.conftest import covered, member, scheme  # noqa: F401
