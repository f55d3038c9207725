"""The member's history names changed fields by their labels, not by the field names (issue 16)."""

from django.urls import reverse
from django.utils import translation

from members.services import member_update


def test_member_history_lists_changed_fields_by_their_labels(make_member, handler, login):
    # given a member whose job, bank and bank account were changed
    member = make_member()
    member_update(by=handler, member=member, job="焊工", bank_name="工商银行", bank_account="6222020000000000001")
    # when the handler opens the member's page in Chinese
    client = login(handler)
    with translation.override("zh-hans"):
        response = client.get(reverse("members:member_detail", args=[member.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    # then the history names the fields by their labels
    from tests.test_words_crawl import visible_text

    text = visible_text(response.content.decode())
    assert "岗位、开户银行、银行账号" in text or ("岗位" in text and "开户银行" in text)
    assert "bank_name" not in text and "bank_account" not in text and "job" not in text


def test_transfer_bookkeeping_is_not_listed_as_changed_fields(make_member, handler):
    # given a member event of a transfer, which keeps the transfer's id and state in its changes
    from members.models import MemberEvent

    member = make_member()
    event = MemberEvent(member=member, kind=MemberEvent.Kind.TRANSFER_OUT, changes={"transfer": 1, "state": "x"})
    # then it lists no changed fields
    assert event.changed_field_labels == []
