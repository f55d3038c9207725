"""No mobile, ID number or bank account in the logs (issue 14 M10). A search term travels in the query
string (``/members/?q=330621198803081240``); the web server's access log and Django's request logging would
keep it in plain text for as long as logs are kept.

- ``MaskPersonalNumbers``: a logging filter on every handler of settings.LOGGING (Django's ``django.server``
  and ``django.request`` lines, Celery's, ours).
- ``GunicornLogger``: gunicorn's logger class (deploy/gunicorn.conf.py), whose access log lines are built
  from masked atoms (request line, query string, referrer, headers).
nginx's access log (deploy/nginx.conf) leaves the query string out altogether.
"""

import logging

from gunicorn.glogging import Logger as _GunicornBaseLogger  # type: ignore[import-untyped]

from .crypto import mask_personal_numbers


class MaskPersonalNumbers(logging.Filter):
    """Rewrite a record's message with every run of 11 or more digits masked (crypto.mask_personal_numbers).
    Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class GunicornLogger(_GunicornBaseLogger):
    """gunicorn's logger with the access log's atoms masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_personal_numbers(value) if isinstance(value, str) else value for key, value in atoms.items()}
