"""M13 Unicode digits: an ID number, mobile or bank account typed with full-width, superscript or other
scripts' digits is folded to ASCII (NFKC) or refused before it is checked or hashed, in the services (forms,
API) and the import alike, so it never makes a second membership of one person nor a 500."""

import pytest
from django.core.exceptions import ValidationError

from members import services
from members.imports import COLUMNS, import_file
from members.models import Member
from union_portal import identity

from .conftest import new_id_number, xlsx_bytes

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _one_digit_full_width(number: str) -> str:
    return number[:10] + number[10].translate(FULL_WIDTH) + number[11:]  # as in 3306211980１1112102


def test_an_id_number_with_a_full_width_digit_is_the_same_person_and_gets_no_second_membership(make_member):
    member = make_member("KQ-HS-001")

    with pytest.raises(ValidationError) as exc:
        services.member_create(
            by=None, org=member.org.__class__.objects.get(code="KQ-QX-001"), name="同一人",
            id_number=_one_digit_full_width(member.id_number),
        )  # fmt: skip

    assert "id_number" in exc.value.message_dict
    assert Member.objects.filter(id_number_hash=member.id_number_hash).count() == 1


def test_superscript_digits_are_folded_not_a_500(tree):
    number = new_id_number()
    application = services.join_submit(
        consent=True,
        user=None,
        org=tree["KQ-HS-001"],
        name="上标",
        id_number=number.translate(SUPERSCRIPT),
        mobile="13800000009",
    )
    assert application.id_number == number
    assert application.id_number_hash == identity.id_number_hash(number)


def test_digits_of_other_scripts_are_refused():
    arabic_indic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    with pytest.raises(ValidationError):
        identity.validate_id_number(new_id_number().translate(arabic_indic))
    with pytest.raises(ValidationError):
        identity.validate_mobile("13800000000".translate(arabic_indic))
    with pytest.raises(ValidationError):
        identity.validate_bank_account("6222000011112222".translate(arabic_indic))


def test_mobile_and_bank_account_are_stored_as_ascii_digits():
    assert identity.validate_mobile("１３８００１３８０００") == "13800138000"
    assert identity.mobile_hash("１３８００１３８０００") == identity.mobile_hash("13800138000")
    assert identity.validate_bank_account("６２２２ ０００ 0111 1222 2333") == "6222000011112222333"


def test_the_import_folds_full_width_digits_and_finds_the_person_already_on_the_roll(tree, handler, make_member):
    member = make_member("KQ-QX-001")
    rows = [
        ["甲", _one_digit_full_width(member.id_number), "13800000001", "2024-03-01", "", "否", "否", "否", "", "", ""],
        ["乙", new_id_number(), "１３８０００００００２", "2024-03-01", "", "否", "否", "否", "工行", "６２２２０００１１１１２２２２３３３", ""],
    ]  # fmt: skip

    count, errors = import_file(xlsx_bytes(COLUMNS, rows), org=tree["KQ-HS-001"], by=handler, dry_run=True)

    assert [(e.row, e.column) for e in errors] == [(2, "身份证号码")]  # already a member elsewhere
    assert import_file(xlsx_bytes(COLUMNS, rows[1:]), org=tree["KQ-HS-001"], by=handler) == (1, [])
    stored = Member.objects.get(name="乙")
    assert (stored.mobile, stored.bank_account) == ("13800000002", "622200011112222333")


def test_search_by_a_full_width_id_number_finds_the_member(make_member, login, handler):
    member = make_member()
    body = login(handler).get("/members/", {"q": member.id_number.translate(FULL_WIDTH)}).content.decode()
    assert member.member_number in body
