"""L1: a public objection is filed only under a mobile number proven by a one-time SMS code."""

import re

from django.urls import reverse

from union_portal.notices.models import Objection
from union_portal.sms import LoggingSmsBackend

from .test_views import on_notice  # noqa: F401  (fixture)


def test_an_objection_under_a_number_not_proven_by_an_sms_code_is_refused(on_notice, client):  # noqa: F811
    url = reverse("awards:public_objection", args=[on_notice.pk])
    # when: someone files under another person's number, with no code or a guessed one
    for code in ["", "123456"]:
        response = client.post(url, {"name": "赵六", "phone": "13957511111", "code": code, "content": "事迹不实"})
        # then: nothing is filed
        assert response.status_code == 200
    assert not Objection.objects.exists()


def test_the_send_code_button_texts_a_code_that_then_files_the_objection(on_notice, client):  # noqa: F811
    url = reverse("awards:public_objection", args=[on_notice.pk])
    # given: the objector asks for a code
    page = client.post(url, {"name": "赵六", "phone": "13957511111", "content": "事迹不实", "send_code": "1"})
    assert page.status_code == 200 and not Objection.objects.exists()
    assert page.context["form"].initial["content"] == "事迹不实"  # what was typed is kept
    phone, text = LoggingSmsBackend.outbox[-1]
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)
    assert phone == "13957511111"
    # when: they enter it
    response = client.post(url, {"name": "赵六", "phone": "13957511111", "code": code, "content": "事迹不实"})
    # then
    assert response.status_code == 302 and Objection.objects.get().phone == "13957511111"


def test_asking_for_codes_is_rate_limited_per_number(on_notice, client):  # noqa: F811
    url = reverse("awards:public_objection", args=[on_notice.pk])
    sent = len(LoggingSmsBackend.outbox)
    for _ in range(3):
        client.post(url, {"name": "赵六", "phone": "13957511111", "content": "x", "send_code": "1"})
    assert len(LoggingSmsBackend.outbox) == sent + 1  # one a minute per number
