"""Table rows of long list pages written in Python: one f-string per row instead of a few dozen template
variable lookups, lazy translations and ``reverse()`` calls per row (issue 18: a list page costs at most
twice the bare page). The rest of each page stays a template; only the repeated ``<tr>`` lives here.

Every value that comes from data goes through ``esc`` (the escaping of ``django.utils.html.escape``
without its lazy-string wrapper, which costs more than the escaping itself at thousands of calls a page).
"""

import html
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe


def esc(value: object) -> str:
    """HTML-escaped text of ``value`` ("" for None), as Django's ``escape``."""
    return "" if value is None else html.escape(str(value))


def url_maker(url_name: str) -> Callable[[int], str]:
    """``pk -> reverse(url_name, args=[pk])`` with one ``reverse()`` per page instead of one per row."""
    marker = 999_999_999
    head, _, tail = reverse(url_name, args=[marker]).partition(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


def labels(choices) -> dict:
    """A choices class's labels translated and escaped once per page (a lazy label costs a gettext() a use)."""
    return {value: esc(label) for value, label in choices}


def badge(css: str, text: str) -> str:
    """A Bootstrap badge; ``css`` and ``text`` are the caller's constants (escaped here once a page)."""
    return f'<span class="badge {esc(css)}">{esc(text)}</span>'


def join(rows: Iterable[str]) -> SafeString:
    """The rows, each built from constants and ``esc``-aped values, as one safe string."""
    return mark_safe("".join(rows))  # noqa: S308 - every value in the rows went through esc()
