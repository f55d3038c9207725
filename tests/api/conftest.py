"""The mutual-aid fixtures the generated client's walk needs (a covered worker)."""

from tests.mutual_aid.conftest import covered, member, scheme  # noqa: F401
