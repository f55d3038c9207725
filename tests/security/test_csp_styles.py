"""Issue 14 L2: the Content-Security-Policy allows no inline styles, and no template needs one."""

from pathlib import Path

from django.conf import settings

TEMPLATE_ROOTS = ["templates", "*/templates", "union_portal/*/templates"]


def _templates():
    base = Path(settings.BASE_DIR)
    for pattern in TEMPLATE_ROOTS:
        for root in base.glob(pattern):
            if ".venv" in root.parts:
                continue
            yield from root.rglob("*.html")
            yield from root.rglob("*.txt")


def test_the_csp_has_no_unsafe_inline_for_styles(tree, client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    style_src = next(part for part in policy.split(";") if part.strip().startswith("style-src"))
    assert "'self'" in style_src
    assert "unsafe-inline" not in policy


def test_no_template_has_a_style_attribute_or_element():
    templates = list(_templates())
    assert len(templates) > 100  # the glob found the project's templates
    offenders = [
        str(path) for path in templates if "style=" in (text := path.read_text()).lower() or "<style" in text.lower()
    ]
    assert offenders == []


def test_htmx_does_not_inject_its_indicator_styles(tree, login, handler):
    page = login(handler).get("/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in page


def test_the_api_docs_page_has_no_inline_style(tree, login, district_admin):
    body = login(district_admin).get("/api/docs/").content.decode()
    assert "<style" not in body and "css/swagger.css" in body


def test_a_running_imports_progress_needs_no_style_attribute(tree, login, handler):
    from members.models import MemberImport

    record = MemberImport.objects.create(
        org=tree["KQ-HS-001"], file="x.xlsx", file_name="x.xlsx", by=handler, status="importing", total=8, processed=2
    )
    page = login(handler).get(f"/members/imports/{record.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert '<progress class="portal-progress" value="25" max="100"' in page and "style=" not in page
