"""The automatic-review benchmark's own members (bench.claim_review) cannot collide with the people of a generated
database: their ID numbers start with a region code that no generator uses, and are distinct among themselves."""

import pytest

from bench import claim_review, members_import, synthetic
from members import demo
from union_portal.identity import validate_id_number


def test_bench_members_region_is_no_generators_region():
    # given every region code the data generators draw ID numbers from
    generated = {code for code, _ in synthetic.REGIONS_LOCAL + synthetic.REGIONS_MIGRANT} | set(demo.REGIONS)
    generated.add(members_import.build_xlsx.__kwdefaults__["region"])
    # then the bench members' region is none of them, so no bench ID number equals a generated one
    assert claim_review.BENCH_REGION not in generated


def test_bench_id_numbers_are_distinct_valid_and_carry_the_sex():
    # when the ID numbers of 20,000 bench members are made
    people = [claim_review.bench_id_number(i) for i in range(20_000)]
    # then they are distinct, valid, of the bench region, born on the day they say, odd for men
    assert len({number for number, _, _ in people}) == len(people)
    for number, sex, birth in people[::997] + people[-3:]:
        assert validate_id_number(number) == number
        assert number.startswith(claim_review.BENCH_REGION)
        assert number[6:14] == birth.strftime("%Y%m%d")
        assert int(number[16]) % 2 == (1 if sex == "M" else 0)


@pytest.mark.django_db
def test_bench_members_are_added_next_to_a_generated_person_of_the_same_birth(tree):
    # given a generated person born on the first bench member's birthday, with that member's old sequence number
    import datetime as dt

    from members.models import Member
    from union_portal.identity import id_number_hash, make_id_number
    from union_portal.models import OrgUnit

    township = OrgUnit.objects.get(code="KQ-HS")
    union = OrgUnit.objects.add_child(township, {"code": "GEN-1", "name": "生成工会", "kind": "grassroots"})
    for seq in range(0, 6):  # what setup_members made before: region 330621, 1970-01-01, sequence i % 900 + 1
        number = make_id_number("330621", dt.date(1970, 1, 1), seq)
        Member.objects.create(
            member_number=f"GEN{seq:05d}",
            name=f"生成{seq}",
            id_number=number,
            id_number_hash=id_number_hash(number),
            sex="M" if seq % 2 else "F",
            birth_date=dt.date(1970, 1, 1),
            org=union,
            joined_on=dt.date(2015, 1, 1),
        )
    # when the bench adds its members (no IntegrityError on one_active_membership_per_person)
    scheme, members = claim_review.setup_members(count=5, out=lambda message: None)
    # then they are there, beside the generated people
    assert len(members) == 5
    assert Member.objects.filter(org=union).count() == 6
    claim_review.clean(lambda message: None)
    assert not Member.objects.filter(org__code=claim_review.BENCH_CODE).exists()
