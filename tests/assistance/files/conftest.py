"""Fixtures of the hardship file tests (the files part's test package)."""

import datetime as dt

import pytest

from tests.factories.as_files import make_hardship_file


@pytest.fixture
def hardship_file(make_member, today):
    """make_hardship_file-like factory: a file of a new member of ``org`` (default 华舍's KQ-HS-001), opened
    ``opened_days_ago`` days before today (default 300), any other field of make_hardship_file."""

    def _make(org="KQ-HS-001", *, opened_days_ago=300, member=None, **fields):
        member = member or make_member(org)
        fields.setdefault("opened_on", today - dt.timedelta(days=opened_days_ago))
        return make_hardship_file(member, **fields)

    return _make
