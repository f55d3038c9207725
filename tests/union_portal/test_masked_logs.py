"""Issue 14 M10: mobiles, ID numbers and bank accounts typed as search terms never reach the append-only audit
log or the web logs in plain text: every audit detail is masked, every line through Django's logging is
masked, gunicorn's access log is built from masked atoms, and nginx's access log leaves query strings out."""

import datetime as dt
import io
import logging
import logging.config
import re
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings

from union_portal.audit import audit_record
from union_portal.crypto import mask_personal_numbers
from union_portal.identity import make_id_number, make_uscc
from union_portal.models import AuditLog

ID_NUMBER = make_id_number("330621", dt.date(1988, 3, 8), 124)
MOBILE = "13812345678"
ACCOUNT = "6222020200112233445"


def test_search_terms_in_the_member_export_audit_row_are_masked(tree, login, handler):
    # when: the roll is exported filtered by a full ID number, then by a mobile typed with spaces
    client = login(handler)
    client.get("/members/export.xlsx", {"q": ID_NUMBER})
    client.get("/members/export.xlsx", {"q": "138 1234 5678"})

    # then: the audit rows keep the last four digits only
    details = [str(row.detail) for row in AuditLog.objects.filter(action="members.export").order_by("id")]
    assert len(details) == 2
    assert ID_NUMBER not in details[0] and ID_NUMBER[-4:] in details[0]
    assert "1234" not in details[1].replace("5678", "") and "5678" in details[1]


def test_search_terms_in_the_audit_export_filters_are_masked(tree, login, district_admin):
    login(district_admin).get("/audit/export.xlsx", {"object": ID_NUMBER, "actor": MOBILE})

    detail = str(AuditLog.objects.get(action="audit.export").detail)
    assert ID_NUMBER not in detail and MOBILE not in detail


def test_every_audit_detail_is_masked_but_codes_and_numbers_stay(tree, handler):
    uscc = make_uscc(7)
    entry = audit_record(
        actor=handler,
        action="test.detail",
        detail={
            "q": f"{ID_NUMBER} {ACCOUNT}",
            "nested": [{"phone": MOBILE}],
            "uscc": uscc,
            "rows": 12,
            "n": "KQ2026000123",
        },
    )
    entry.refresh_from_db()
    text = str(entry.detail)
    assert ID_NUMBER not in text and ACCOUNT not in text and MOBILE not in text
    assert entry.detail["uscc"] == uscc and entry.detail["rows"] == 12 and entry.detail["n"] == "KQ2026000123"


def test_masking_catches_the_spellings_a_search_accepts():
    for raw in [
        f"/members/?q={ID_NUMBER}&page=2",
        "/members/?q=138+1234+5678",
        "/members/?q=138-1234-5678",
        "/members/?q=%EF%BC%91%EF%BC%93812345678",  # full-width digits, percent-encoded
        "/accounts/login/?next=%2Fmembers%2F%3Fq%3D13812345678",
        f"q={ACCOUNT}",
    ]:
        masked = mask_personal_numbers(raw)
        assert not re.search(r"[0-9]{5}", masked.replace("%EF%BC%9", "")), (raw, masked)
    for kept in ["KQ2026000123", "2026-12-07 09:44:24,123", "amount=123456.78", "[07/Dec/2026:09:44:24 +0800]"]:
        assert mask_personal_numbers(kept) == kept


def test_djangos_request_lines_are_masked_in_the_log(tree):
    # given: the project's logging configuration, writing to a buffer
    stream = io.StringIO()
    config = {
        **settings.LOGGING,
        "handlers": {k: {**v, "stream": stream} for k, v in settings.LOGGING["handlers"].items()},
    }
    try:
        logging.config.dictConfig(config)

        # when: runserver logs a request line and Django a 404, both carrying search terms
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /members/?q={ID_NUMBER} HTTP/1.1", 200, 10)
        logging.getLogger("django.request").warning("Not Found: %s", f"/members/{MOBILE}/")
    finally:
        logging.config.dictConfig(settings.LOGGING)

    # then: the lines are written, masked
    out = stream.getvalue()
    assert "GET /members/?q=" in out and "Not Found" in out
    assert ID_NUMBER not in out and MOBILE not in out


def test_gunicorns_access_log_atoms_are_masked():
    from gunicorn.config import Config

    from union_portal.logmask import GunicornLogger

    logger = GunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/members/?q={ID_NUMBER}",
        "PATH_INFO": "/members/",
        "QUERY_STRING": f"q={ID_NUMBER}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_REFERER": f"https://portal.example.cn/members/?q={MOBILE}",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=5))

    line = " ".join(str(value) for value in atoms.values())
    assert "GET /members/?q=" in atoms["r"]
    assert ID_NUMBER not in line and MOBILE not in line


def test_the_deployment_uses_the_masking_gunicorn_logger_and_nginx_logs_no_query_string():
    deploy = Path(settings.BASE_DIR) / "deploy"
    conf = (deploy / "gunicorn.conf.py").read_text()
    assert 'logger_class = "union_portal.logmask.GunicornLogger"' in conf
    assert "-c deploy/gunicorn.conf.py" in (deploy / "Procfile").read_text()
    assert "-c deploy/gunicorn.conf.py" in (deploy / "systemd" / "union-portal-web.service").read_text()
    nginx = (deploy / "nginx.conf").read_text()
    assert "access_log /var/log/nginx/union-portal.access.log portal_noquery;" in nginx
    log_format = nginx.split("log_format portal_noquery", 1)[1].split(";", 1)[0]
    assert "$request " not in log_format and "$request_uri" not in log_format and "$args" not in log_format
    assert "$http_referer" not in log_format
