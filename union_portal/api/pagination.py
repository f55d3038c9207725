from django.core.exceptions import BadRequest
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from union_portal.paging import page_number


class PortalPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CountlessPagination(PageNumberPagination):
    """For very large lists: no COUNT(*); fetches one row more than the page to know if there is a next."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request) or self.page_size
        try:
            self.page_number = page_number(request.query_params.get(self.page_query_param))
        except BadRequest as exc:
            raise ValidationError({self.page_query_param: [str(exc)]}) from None
        offset = (self.page_number - 1) * size
        rows = list(queryset[offset : offset + size + 1])
        self.has_next = len(rows) > size
        self.page_size_used = size
        return rows[:size]

    def get_paginated_response(self, data):
        from rest_framework.response import Response

        return Response(
            {
                "next": self._page_url(self.page_number + 1) if self.has_next else None,
                "previous": self._page_url(self.page_number - 1) if self.page_number > 1 else None,
                "results": data,
            }
        )

    def _page_url(self, number: int) -> str:
        from rest_framework.utils.urls import replace_query_param

        assert self.request is not None  # set by paginate_queryset before any page link is built
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, number)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
