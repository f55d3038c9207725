"""Row locks of the payment batches. The paying object (a claim, an application) is locked first by its app,
then its payment."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Payment


def payment_for_update(payment: Payment) -> Payment:
    """Lock a pending payment (after the caller locked its paying object); a decided one is refused."""
    payment = Payment.objects.select_for_update(of=("self",)).select_related("batch").get(pk=payment.pk)
    if payment.status != Payment.Status.PENDING:
        raise ValidationError(_("This payment was decided already."))
    return payment
