"""The words crawl (issue 16, "no screen speaks the developers' language").

Every URL pattern is loaded through Django's test client as each role (one sample object the role may see,
tests/routes.py) in Chinese and in English. Of each HTML page the visible text is read (no attributes, scripts,
styles, <code>, <textarea>) and

- in Chinese, an ASCII word that is an identifier (snake_case, dotted codes such as app.action, ALL_CAPS codes,
  English words) fails the crawl, unless it is data (a string of the demo database: names, usernames, file
  names), a number, or in ALLOWED_WORDS / ALLOWED_PATTERNS (unit codes, CNY, PDF, Excel, ID-like values);
- in English, a run of Chinese characters fails the crawl unless it is (part of) a string of the demo database.

Pages of other helpers' areas with findings they fix on their branches are listed in KNOWN_UNTIL_MERGE with
their owner: the lead empties it after merging. A known finding that is no longer found fails too, so the list
only shrinks.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models, transaction

from tests.routes import SAMPLE_ROLES, add_objects_the_demo_lacks, sample_urls, seed

pytestmark = [pytest.mark.postgres]

# --- what counts as words ------------------------------------------------------------------------------------

# Elements whose content is not read as text.
SKIPPED_ELEMENTS = {"script", "style", "code", "textarea", "template", "svg", "noscript"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# ASCII words allowed in Chinese pages: brands, units and file formats people know by these names.
ALLOWED_WORDS = {
    "PDF",
    "Excel",
    "xlsx",
    "QR",
    "CNY",
    "ID",
    "IP",
    "SMS",
    "ICP",
    "API",
    "Token",  # the API page: "API Token" is what integrators call it
    "English",  # the language switch names each language in itself
    # file formats and encodings named on upload forms and bank file layouts
    "xls",
    "xlsb",
    "ods",
    "zip",
    "CSV",
    "JPEG",
    "PNG",
    "MB",
    "GBK",
    "BOM",
    "WPS",
    "LibreOffice",
    "Union",  # "Union Portal" on the API documentation page for integrators
    "Portal",
}
ALLOWED_PATTERNS = [
    re.compile(r"^[A-Z]{2,}\d*-[\dA-Z-]+$"),  # unit codes: MA01-0000002, KQ-HS-001
    re.compile(r"^(?=.*\d)[0-9A-Z.]+$"),  # ID-like values: ID numbers, USCC, account numbers, references
    re.compile(r"^https?://"),  # links (the card's verify link)
    re.compile(r"^[\w.-]+\.(xlsx|xls|csv|pdf|png|jpe?g|docx?|zip)$", re.I),  # file names
    re.compile(r"^\d+[a-z]{1,2}$"),  # 2x, 3d
]
# Chinese words allowed in English pages: the language switch names Chinese in Chinese.
ALLOWED_CHINESE = {
    "简体中文",
    # what the bank's transfer file says (headings and the transfer purpose), in Chinese whatever the language
    "联行号",
    "业务编号",
    "理赔编号",
    "职工医疗互助金",
    # column headings of the spreadsheets people upload or download, named as the file has them
    "会员编号",
    "错误说明",
}

# Fields of the demo database that hold codes, not data (their values must not excuse a word).
CODE_FIELDS = {
    ("union_portal", "auditlog", "action"),
    ("union_portal", "auditlog", "object_type"),
    ("union_portal", "auditlog", "object_id"),
    ("union_portal", "auditlog", "ip"),
}
JSON_NOT_DATA = {"members.memberimport", "union_portal.auditlog"}
CODE_FIELD_NAMES = {"code", "key", "kind", "slug", "action", "object_type", "purpose", "app_label", "metric"}

# --- findings of other helpers' areas, fixed on their branches ----------------------------------------------
# (URL name, language) -> (owner branch, the words found today). The lead empties this after merging the
# owners' branches: each entry here is a screen that still shows a code until then. NOT a skip: a word that is
# not listed still fails, and a listed word no longer found fails too (remove it).
KNOWN_UNTIL_MERGE: dict[tuple[str, str], tuple[str, set[str]]] = {}

# --- reading a page ------------------------------------------------------------------------------------------

WORD = re.compile(r"[A-Za-z0-9_.\-@/:+]*[A-Za-z][A-Za-z0-9_.\-@/:+]*")
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        elif tag not in VOID_ELEMENTS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _word_allowed(word: str, data_words: set[str]) -> bool:
    word = word.strip(".-:/+@")
    if len(word) <= 1 or not re.search(r"[A-Za-z]", word) or word in data_words or word in ALLOWED_WORDS:
        return True
    return any(p.match(word) for p in ALLOWED_PATTERNS)


def ascii_codes(text: str, data_words: set[str]) -> set[str]:
    """The ASCII words of ``text`` that are neither data nor allowed. Placeholders people type into a text
    template ({purpose}, {batch}) are codes by design, like <code>."""
    text = re.sub(r"\{\w+\}", " ", text)
    return {w.strip(".-:/+@") for w in WORD.findall(text) if not _word_allowed(w, data_words)}


def chinese_words(text: str, data_text: str) -> set[str]:
    """The runs of Chinese characters of ``text`` that are no part of a string of the demo database."""
    return {run for run in CHINESE.findall(text) if run not in ALLOWED_CHINESE and run not in data_text}


def demo_data() -> tuple[set[str], str]:
    """(the ASCII words, all Chinese text joined) of the demo database's text fields that hold data."""
    words: set[str] = set()
    chinese: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in ("admin", "contenttypes", "sessions", "auth", "django_celery_results"):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not isinstance(f, models.SlugField)
            and not f.choices
            and f.name not in CODE_FIELD_NAMES
            and (model._meta.app_label, model._meta.model_name, f.name) not in CODE_FIELDS
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields).distinct()[:5000]:
            for value in row:
                if not value:
                    continue
                words.update(w.strip(".-:/+@") for w in WORD.findall(value))
                chinese.update(CHINESE.findall(value))
    # Chinese text in JSON fields is data too (bank file headings, a scheme's disease names), except stored
    # messages, which must follow the language switch; their ASCII is not (codes live there)
    for model in apps.get_models():
        if model._meta.label_lower in JSON_NOT_DATA:
            continue
        json_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if not json_fields:
            continue
        for row in model._default_manager.values_list(*json_fields)[:5000]:
            for value in row:
                chinese.update(CHINESE.findall(json.dumps(value, ensure_ascii=False)))
    # the audit log's readable object names are the stored repr of the objects (data)
    return words, "\x00".join(sorted(chinese))


# --- the crawl -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo database, seeded once for the module and rolled back after it."""
    from django.test import override_settings

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # the demo accounts' passwords hashed cheaply, as in every test (the function-scoped _fast_passwords
            # fixture comes too late for this module-scoped seed: PBKDF2 cost ~4 s of it)
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                seed()
                add_objects_the_demo_lacks()
            yield demo_data()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _crawl(client, language: str, check) -> tuple[dict[tuple[str, str], dict[str, set[str]]], int]:
    """Load every sample URL as every role in ``language``; check(text) -> the words found. Returns
    {(URL name, word): {role: URLs}} and the number of loads."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from tests.conftest import verify_two_factor

    found: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    loads = 0
    # the refusals' log lines (a traceback each, about a thousand a crawl) are not written; a 500 still is
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        for username in SAMPLE_ROLES:
            client.logout()
            user = get_user_model().objects.get(username=username) if username else None
            if user is not None:
                client.force_login(user)
                verify_two_factor(client, user)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for route, url in sample_urls(user):
                response = client.get(url, secure=True)
                loads += 1
                if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
                    continue
                assert response.status_code < 500, f"{username} GET {url} -> {response.status_code}"
                # the 403/404 pages are one template each, whatever the URL: reported once under their own name
                name = f"(error page {response.status_code})" if response.status_code in (403, 404) else route.name
                for word in check(visible_text(response.content.decode("utf-8", "replace"))):
                    found[(name, word)][username or "anonymous"].add(url)
    finally:
        request_log.setLevel(level)
    return found, loads


def _compare(found, language: str) -> list[str]:
    failures = []
    seen_known: set[tuple[str, str]] = set()
    for (name, word), where in sorted(found.items()):
        known = KNOWN_UNTIL_MERGE.get((name, language))
        if known is not None and word in known[1]:
            seen_known.add((name, word))
            continue
        roles = ", ".join(f"{role} {sorted(urls)[0]}" for role, urls in sorted(where.items()))
        failures.append(f"{name}: {word!r} ({roles})")
    for (name, lang), (owner, words) in KNOWN_UNTIL_MERGE.items():
        if lang == language:
            stale = [w for w in words if (name, w) not in seen_known]
            if stale:
                failures.append(f"KNOWN_UNTIL_MERGE[{name!r}, {lang!r}] ({owner}): no longer found {stale}")
    return failures


def _report(failures: list[str], language: str) -> None:
    """The findings in full as a test artefact (pytest shortens a long assertion message)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    (folder / f"words-crawl-{language}.txt").write_text("\n".join(failures) + "\n", encoding="utf-8")


@pytest.mark.django_db
def test_no_page_shows_codes_in_chinese(demo_db, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    data_words, _chinese = demo_db
    # given the demo database, every URL pattern and every role, in Chinese
    # when every page is loaded once
    found, loads = _crawl(client, "zh-hans", lambda text: ascii_codes(text, data_words))
    # then no page shows an identifier where words belong
    failures = _compare(found, "zh-hans")
    print(f"words crawl (zh-hans): {loads} loads")
    _report(failures, "zh-hans")
    assert failures == [], "ASCII codes on Chinese pages:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_no_page_shows_chinese_ui_text_in_english(demo_db, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    _words, data_chinese = demo_db
    # given the demo database, every URL pattern and every role, in English
    # when every page is loaded once
    found, loads = _crawl(client, "en", lambda text: chinese_words(text, data_chinese))
    # then no page shows Chinese words that are not data
    failures = _compare(found, "en")
    print(f"words crawl (en): {loads} loads")
    _report(failures, "en")
    assert failures == [], "Chinese UI text on English pages:\n" + "\n".join(failures)
