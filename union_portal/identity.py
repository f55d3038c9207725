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
from stdnum.cn import ric, uscc

from union_portal.crypto import blind_index
from union_portal.stored_text import gettext_stored as _

# Province-level codes of GB/T 2260 (the first two digits).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
# Residence permits of Hong Kong, Macau and Taiwan residents (GB 11643 numbering, since 2018): the address
# code is the region's own, always one of these three.
PERMIT_REGIONS = {"81": "810000", "82": "820000", "83": "830000"}
# The mainland provinces, where a foreigner's permanent residence ID (2023 edition) can be issued.
MAINLAND_PROVINCE_CODES = PROVINCE_CODES - {"71", "81", "82"}
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


def id_document_kind(number: str) -> str:
    """Which document a valid 18-character number belongs to: "resident" (居民身份证), "permit" (港澳台居民
    居住证) or "foreigner" (外国人永久居留身份证, 2023 edition: 9, the issuing province, a 3-digit nationality
    code, the birth date, a sequence whose last digit is odd for men, and the check digit)."""
    if number[:1] == "9":
        return "foreigner"
    if number[:2] in PERMIT_REGIONS:
        return "permit"
    return "resident"


def validate_id_number(raw: str) -> str:
    """Return the normalised 18-character ID number or raise ValidationError with a clear message. Accepts the
    resident ID, the Hong Kong/Macau/Taiwan residence permit and the 2023 foreigner's permanent residence ID:
    all share the layout of the birth date and sequence and the ISO 7064 MOD 11-2 check digit."""
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
    kind = id_document_kind(number)
    if kind == "foreigner":
        if number[1:3] not in MAINLAND_PROVINCE_CODES:
            raise ValidationError(
                _("A foreigner's permanent residence ID number has a wrong province code (digits 2 and 3)."),
                code="region",
            )
        if number[3:6] == "000":
            raise ValidationError(
                _("A foreigner's permanent residence ID number has a wrong nationality code (digits 4 to 6)."),
                code="nationality",
            )
    elif kind == "permit":
        if number[:6] != PERMIT_REGIONS[number[:2]]:
            raise ValidationError(
                _("A Hong Kong, Macau or Taiwan residence permit number starts with 810000, 820000 or 830000."),
                code="region",
            )
    elif number[:2] not in PROVINCE_CODES:
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


_MOBILE_SEPARATORS = re.compile(r"[\s\-()（）.]")
_MOBILE_COUNTRY = re.compile(r"^(?:\+86|0086|86)(?=1[0-9]{10}$)")


def normalize_mobile(raw: str) -> str:
    """A mainland mobile as 11 ASCII digits however it was typed: full-width digits, spaces, dashes,
    brackets, and the country code (+86, 0086, 86-) dropped. What is not a mobile stays visibly wrong, so
    validate_mobile refuses it."""
    return _MOBILE_COUNTRY.sub("", _MOBILE_SEPARATORS.sub("", _nfkc(raw)))


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
    """Return the bank account as ASCII digits (full-width digits folded, spaces and dashes dropped) or raise
    ValidationError; letters or anything else are refused, never dropped."""
    account = normalize_bank_account(raw)
    if account and not account.isdigit():
        raise ValidationError(_("A bank account number has digits only."), code="bank_account")
    if not BANK_ACCOUNT_RE.match(account):
        raise ValidationError(_("A bank account number has 12 to 30 digits."), code="bank_account")
    return account


# Spreadsheet error values: a cell holding one lost its value (a broken formula, a failed lookup).
SPREADSHEET_ERRORS = frozenset(
    ["#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"]
)
# The middle dot in names of Uyghur, Tibetan and foreign origin (阿依古丽·买买提) is U+00B7; typed or pasted
# it arrives as the katakana middle dot, a bullet or a hyphenation point.
_MIDDLE_DOTS = str.maketrans({"\u30fb": "\u00b7", "\uff65": "\u00b7", "\u2022": "\u00b7", "\u2027": "\u00b7"})


def normalize_name(raw: str) -> str:
    """A person's name as stored: NFC only (NFKC would change characters people chose), surrounding spaces
    dropped, the middle-dot variants made U+00B7. Characters outside the BMP (𠮷, 𬌗) stay exactly."""
    return unicodedata.normalize("NFC", raw or "").strip().translate(_MIDDLE_DOTS)


def validate_name(raw: str) -> str:
    """Return the normalised name or raise ValidationError when it is visibly damaged: the replacement
    character (a lost character), a question mark standing for one, a spreadsheet error value, a NUL."""
    name = normalize_name(raw)
    if not name:
        raise ValidationError(_("Enter the name."), code="required")
    if name.upper() in SPREADSHEET_ERRORS:
        raise ValidationError(
            _("The cell holds a spreadsheet error value (%(value)s), not a name.") % {"value": name}, code="damaged"
        )
    if "\ufffd" in name or "?" in name or "？" in name or "\x00" in name:
        raise ValidationError(
            _("The name is damaged (a character was lost and shows as ? or �); type it again."), code="damaged"
        )
    return name


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
