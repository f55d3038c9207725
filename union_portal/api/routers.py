from rest_framework.routers import SimpleRouter


class PortalRouter(SimpleRouter):
    """Primary keys in API URLs are whole numbers: anything else is a 404, never a query with a bad id."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not hasattr(viewset, "lookup_value_regex"):
            viewset.lookup_value_regex = r"[0-9]+"
        return super().get_lookup_regex(viewset, lookup_prefix)
