"""Login lockout on top of django-axes: 5 failures within 15 minutes lock the account for 30 minutes."""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone


class WindowedAxesHandler(AxesDatabaseHandler):
    """Axes counts failures until the cool-off passes; we also forget failures older than the window
    (AXES_FAILURE_WINDOW) while the account is not locked, so 5 failures must fall within 15 minutes."""

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")  # axes.conf sets it; not in the stubs
        username = (credentials or {}).get(field) or (credentials or {}).get("username")
        if username:
            AccessAttempt.objects.filter(
                username=username,
                attempt_time__lt=timezone.now() - settings.AXES_FAILURE_WINDOW,
                failures_since_start__lt=settings.AXES_FAILURE_LIMIT,
            ).delete()
        return super().user_login_failed(sender, credentials, request, **kwargs)
