"""The demo's hardship files: every state in 华舍 and 齐贤, none for the demo worker, consistent with the rules
of the file (closed files free their people; the flagged file's member left)."""

import datetime as dt
import io

import pytest

from assistance import demo_files
from assistance.models import CloseReason, FilePerson, HardshipFile
from members import demo as members_demo

pytestmark = pytest.mark.django_db


def test_demo_has_files_in_every_state_in_both_townships(tree, worker, today):
    # given the demo roll
    members_demo.seed(stdout=io.StringIO())
    # when
    demo_files.seed(stdout=io.StringIO())
    demo_files.seed(stdout=io.StringIO())  # a second run adds nothing
    # then
    assert HardshipFile.objects.count() == 20
    for code in ("KQ-HS-001", "KQ-QX-001"):
        files = HardshipFile.objects.filter(org__code=code)
        assert set(files.filter(status="closed").values_list("close_reason", flat=True)) == set(CloseReason.values)
        assert files.filter(status="open", valid_until__lte=today + dt.timedelta(days=30)).exists()
        assert files.filter(status="open", reviews__isnull=False).exists()
        flagged = files.get(status="open", attention="left")
        assert flagged.member.status == "left"
        assert files.filter(close_reason="recovered", follow_up_on__isnull=False).exists()
    assert not HardshipFile.objects.filter(member__user=worker).exists()
    assert not FilePerson.objects.filter(file__status="closed", is_open=True).exists()
