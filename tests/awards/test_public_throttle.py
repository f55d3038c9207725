"""The public objection form is open to anyone: it is rate-limited per client address (issue 14, M4)."""

from django.urls import reverse

from union_portal.notices.models import Objection

from .test_views import on_notice  # noqa: F401  (fixture)


def test_the_public_objection_form_is_throttled_per_address_whatever_x_forwarded_for_says(
    on_notice,  # noqa: F811
    client,
    settings,
    sms_code,
):
    # given: 2 objections an hour from one address
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "objection": "2/hour"}
    settings.REST_FRAMEWORK = rest
    url = reverse("awards:public_objection", args=[on_notice.pk])

    # when: three are posted, each claiming another address
    codes = [
        client.post(
            url,
            {
                "name": "赵六",
                "phone": "13957511111",
                "code": sms_code("objection", "13957511111"),
                "content": f"事迹不实 {n}",
            },
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(3)
    ]

    # then: the third is refused and not stored; reading the form is still free
    assert codes == [302, 302, 429]
    assert Objection.objects.count() == 2
    assert client.get(url).status_code == 200
