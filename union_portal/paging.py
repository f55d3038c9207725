"""Pagination without COUNT(*): fetch one row more than the page to know whether a next page exists.

Lists of hundreds of thousands of rows page in constant time and a constant number of queries."""

from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# No list is browsed this deep (5 million rows at 50 a page); an offset far beyond it overflowed the
# database's integer (a 500), so such a page number is a bad request.
MAX_PAGE = 100_000


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(raw) -> int:
    """The page asked for: 1 when missing or not a number; BadRequest (400) beyond ``MAX_PAGE``."""
    try:
        number = max(1, int(raw if raw is not None else 1))
    except (TypeError, ValueError):
        return 1
    if number > MAX_PAGE:
        raise BadRequest(_("The page number is too large; go back to the first page."))
    return number


def paginate(queryset, request, *, per_page: int = 50, param: str = "page") -> Page:
    number = page_number(request.GET.get(param))
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page, per_page=per_page)
