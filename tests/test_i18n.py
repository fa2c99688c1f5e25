"""The Chinese catalogue: every UI string translated, the committed .mo in step with the .po, Chinese by default.

After changing UI strings run `make messages`, translate the new entries in locale/zh_Hans/LC_MESSAGES/django.po,
and commit both django.po and django.mo (the .mo is committed so a checkout without GNU gettext still runs).
"""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
MO_PATH = CATALOGUE_DIR / "django.mo"

# printf-style placeholders as Python formats them: %(name)s, %s, %d, %.1f … (not the literal %%).
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


@dataclass
class Entry:
    """One message of a .po file."""

    line: int = 0
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def label(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"line {self.line}: {self.msgid!r}{context}"


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header first; obsolete (#~) entries are left out, as gettext does."""
    entries: list[Entry] = []
    entry = Entry()
    current: tuple[str, int] | None = None  # the field that continuation lines extend

    def finish() -> None:
        nonlocal entry, current
        if current is not None:
            entries.append(entry)
        entry, current = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if not line or line.startswith("#"):
            if entry.msgstr:
                finish()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"{path.name}:{number}: a string continues no field")
            name, index = current
            value = ast.literal_eval(line)
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry.msgstr:
            finish()
        if not entry.line:
            entry.line = number
        value = ast.literal_eval(rest.strip())
        plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, value)
            current = (keyword, 0)
        elif keyword == "msgstr" or plural_form:
            index = int(plural_form.group(1)) if plural_form else 0
            entry.msgstr[index] = value
            current = ("msgstr", index)
        else:
            raise ValueError(f"{path.name}:{number}: unknown keyword {keyword!r}")
    finish()
    return entries


def messages() -> list[Entry]:
    return [entry for entry in parse_po(PO_PATH) if not entry.is_header]


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    entries = parse_po(PO_PATH)
    assert len(entries) > 1, "the catalogue holds no messages"
    untranslated = [entry.label for entry in entries if not entry.is_header and not entry.msgstr.get(0)]
    fuzzy = [entry.label for entry in entries if "fuzzy" in entry.flags]
    problems = [f"untranslated: {label}" for label in untranslated] + [f"fuzzy: {label}" for label in fuzzy]
    assert not problems, "translate these in django.po (and drop checked fuzzy flags):\n" + "\n".join(problems)


def test_catalogue_header_declares_simplified_chinese_with_one_plural_form():
    header = parse_po(PO_PATH)[0]
    assert header.is_header
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    assert fields.get("Language") == "zh_Hans"
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"
    assert fields.get("Plural-Forms") == "nplurals=1; plural=0;"


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in messages():
        for index, text in entry.msgstr.items():
            source = entry.msgid if entry.msgid_plural is None or index == 0 else entry.msgid_plural
            # A literal percent sign is written "%%" and is no placeholder.
            found, expected = (PLACEHOLDER.findall(t.replace("%%", "")) for t in (text, source))
            if Counter(found) != Counter(expected):
                wrong.append(f"{entry.label} -> {text!r}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_compiled_catalogue_matches_the_source():
    with MO_PATH.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    stale = []
    for entry in messages():
        expected = entry.msgstr.get(0, "")
        if entry.msgid_plural is None:
            checks = [
                compiled.gettext(entry.msgid)
                if entry.msgctxt is None
                else compiled.pgettext(entry.msgctxt, entry.msgid)
            ]
        else:
            # Chinese has one form: every count reads msgstr[0].
            checks = [
                compiled.ngettext(entry.msgid, entry.msgid_plural, count)
                if entry.msgctxt is None
                else compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                for count in (1, 2)
            ]
        for found in dict.fromkeys(checks):
            if found != expected:
                stale.append(f"{entry.label}: django.mo gives {found!r}, django.po says {expected!r}")
    assert not stale, "django.mo is stale; run `make messages` and commit django.mo:\n" + "\n".join(stale)


class _TextNodes(HTMLParser):
    """The stripped text nodes of a page, so a label is matched whole (园区 is not the 园区 of 园区管理驾驶舱)."""

    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.add(data.strip())


def page_texts(response) -> set[str]:
    parser = _TextNodes()
    parser.feed(response.content.decode())
    return parser.texts


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("i18n-admin", "i18n-admin@example.com", "not-used-password")


@pytest.fixture
def keep_language():
    """Requests activate their language in this thread; put back the one the test started with."""
    with translation.override(translation.get_language()):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_language")
def test_pages_are_chinese_by_default_and_english_by_switch(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans"' in body
    texts = page_texts(response)
    assert {"园区", "产业集群", "驾驶舱", "历史记录"} <= texts
    assert "Parks" not in texts

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/")
    assert '<html lang="en"' in response.content.decode()
    texts = page_texts(response)
    assert {"Parks", "Industry clusters", "Dashboard"} <= texts
    assert "园区" not in texts

    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(admin_user)
    response = browser.get("/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert "Parks" in page_texts(response)
