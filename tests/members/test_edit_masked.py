"""Issue 14 H2: the member edit form never carries the full ID number, mobile or bank account. It shows them
masked and changes one only when a new value is typed; an empty or unchanged masked input keeps the stored
value (in the form and in ``member_update``)."""

from members import services
from members.models import Member, MemberEvent
from union_portal.crypto import mask_account, mask_id_number, mask_phone


def _form_post(member, **over):
    data = {
        "name": member.name,
        "id_number": mask_id_number(member.id_number),
        "mobile": mask_phone(member.mobile),
        "bank_account": mask_account(member.bank_account),
        "bank_name": member.bank_name,
        "joined_on": member.joined_on.isoformat(),
        "job": "机修工",
        "is_frontline": "on",
        "reason": "更正",
    }
    data.update(over)
    return data


def test_the_edit_form_shows_personal_data_masked_to_every_editor(make_member, login, handler, city_admin):
    member = make_member()
    for user in (handler, city_admin):  # city_admin may edit the roll but not reveal
        response = login(user).get(f"/members/{member.pk}/edit/")
        assert response.status_code == 200
        page = response.content.decode()
        for full in (member.id_number, member.mobile, member.bank_account):
            assert full not in page
        assert mask_id_number(member.id_number) in page and mask_account(member.bank_account) in page


def test_saving_the_form_with_masked_or_empty_inputs_keeps_the_stored_values(make_member, login, handler):
    member = make_member()
    before = (member.id_number, member.mobile, member.bank_account)
    client = login(handler)
    response = client.post(f"/members/{member.pk}/edit/", _form_post(member))
    assert response.status_code == 302
    response = client.post(f"/members/{member.pk}/edit/", _form_post(member, id_number="", mobile="", bank_account=""))
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.id_number, member.mobile, member.bank_account) == before
    assert member.job == "机修工"
    changes = [e.changes for e in MemberEvent.objects.filter(member=member, kind=MemberEvent.Kind.EDITED)]
    assert changes and all(set(c) == {"job"} for c in changes)


def test_a_typed_new_value_changes_it(make_member, login, handler):
    member = make_member()
    id_number = member.id_number
    login(handler).post(f"/members/{member.pk}/edit/", _form_post(member, mobile="13700002222"))
    member.refresh_from_db()
    assert member.mobile == "13700002222" and member.id_number == id_number


def test_member_update_keeps_a_masked_value_sent_back(make_member, handler):
    member = make_member()
    stored = member.id_number
    services.member_update(
        by=handler,
        member=member,
        id_number=mask_id_number(stored),
        mobile=mask_phone(member.mobile),
        bank_account=mask_account(member.bank_account),
    )
    member = Member.objects.get(pk=member.pk)
    assert member.id_number == stored and "*" not in member.mobile + member.bank_account
    assert not MemberEvent.objects.filter(member=member, kind=MemberEvent.Kind.EDITED).exists()
