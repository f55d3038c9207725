"""Checks for resident ID numbers (GB 11643), unified social credit codes (GB 32100) and mobile numbers.

python-stdnum's ric.validate also checks the region code against a table that lacks districts created
since (330603, Keqiao itself, is unknown to it), so we check format, birth date and check digit, and the
province prefix at most: a worker is never refused because a code is missing from a table.
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc

from union_portal.crypto import blind_index

# Province-level codes of GB/T 2260 (the first two digits).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")  # [0-9], not \d: \d also matches full-width and other scripts' digits
ID_NUMBER_RE = re.compile(r"^[0-9]{17}[0-9X]$")
BANK_ACCOUNT_RE = re.compile(r"^[0-9]{12,30}$")


def _nfkc(raw: str) -> str:
    """NFKC folds full-width (１), superscript (¹) and circled digits and letters into ASCII, so one person's
    number has one spelling, one hash and one membership, however it was typed or pasted. Every ID number,
    mobile and bank account that enters the portal goes through here before it is checked or hashed; what
    is still not ASCII after it is refused by the checks (str.isdigit() would accept it)."""
    return unicodedata.normalize("NFKC", raw or "")


def normalize_id_number(raw: str) -> str:
    return re.sub(r"\s", "", _nfkc(raw)).upper()


def validate_id_number(raw: str) -> str:
    """Return the normalised 18-character ID number or raise ValidationError with a clear message."""
    number = normalize_id_number(raw)
    if not number:
        raise ValidationError(_("Enter the resident ID number."), code="required")
    if len(number) == 15 and number.isascii() and number.isdigit():
        raise ValidationError(
            _("15-digit ID numbers are no longer accepted; enter the 18-character number on the current ID card."),
            code="legacy",
        )
    if len(number) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="length")
    if not ID_NUMBER_RE.match(number):
        raise ValidationError(_("A resident ID number is 17 digits followed by a digit or X."), code="format")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("The ID number does not start with a valid province code."), code="region")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date in the ID number is not a real date."), code="birth_date") from None
    if birth > timezone.localdate() or birth.year < 1900:
        raise ValidationError(_("The birth date in the ID number is impossible."), code="birth_date")
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(_("The check digit of the ID number is wrong; please check the number."), code="checksum")
    return number


def birth_date_of(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_of(number: str) -> str:
    """GB 11643: the 17th digit is odd for men, even for women."""
    return "M" if int(number[16]) % 2 == 1 else "F"


def id_number_hash(raw: str) -> str:
    return blind_index("ric:" + normalize_id_number(raw))


def normalize_mobile(raw: str) -> str:
    return re.sub(r"[\s-]", "", _nfkc(raw))


def validate_mobile(raw: str) -> str:
    number = normalize_mobile(raw)
    if not MOBILE_RE.match(number):
        raise ValidationError(_("A mobile number has 11 digits and starts with 13 to 19."), code="mobile")
    return number


def mobile_hash(raw: str) -> str:
    return blind_index("mobile:" + normalize_mobile(raw))


def normalize_bank_account(raw: str) -> str:
    return re.sub(r"[\s-]", "", _nfkc(raw))


def validate_bank_account(raw: str) -> str:
    """Return the bank account as ASCII digits (spaces and dashes dropped) or raise ValidationError."""
    account = normalize_bank_account(raw)
    if not BANK_ACCOUNT_RE.match(account):
        raise ValidationError(_("A bank account number has 12 to 30 digits."), code="bank_account")
    return account


def validate_uscc(raw: str) -> str:
    code = re.sub(r"\s", "", _nfkc(raw)).upper()
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="length")
    try:
        return uscc.validate(code)
    except uscc.InvalidChecksum:
        raise ValidationError(
            _("The check character of the unified social credit code is wrong."), code="checksum"
        ) from None
    except uscc.ValidationError:
        raise ValidationError(
            _("The unified social credit code contains characters that are not allowed."), code="format"
        ) from None


def make_id_number(region: str, birth: dt.date, seq: int) -> str:
    """Build a valid ID number (demo data, tests, benchmarks). ``seq`` 0-999; odd is male."""
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_uscc(seq: int, region: str = "330603") -> str:
    """Build a valid unified social credit code (demo data, tests, benchmarks)."""
    body = f"91{region}{seq:09d}"
    return body + uscc.calc_check_digit(body + "0")
