"""The English translation: Indonesian stays the default, English is complete and shipped compiled.

The catalogue is src/alur/locale/en/LC_MESSAGES/django.po (with its compiled django.mo), the one
settings.LOCALE_PATHS points to.
"""
from __future__ import annotations

import gettext as stdlib_gettext
import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext

import alur
from alur.agreements.models import Agreement, Partner
from alur.org.models import OrgUnit
from alur.web.forms import IntakeForm
from alur.web.models import Preference
from alur.workflow.models import Case, Task

CATALOGUE_DIR = Path(alur.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PO = CATALOGUE_DIR / "django.po"
MO = CATALOGUE_DIR / "django.mo"


# --- A small .po reader (polib is not a dependency) ----------------------------------------------

def read_po(text: str) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (a list: one per plural form),
    flags and whether it is obsolete (#~)."""
    entries: list[dict] = []
    entry: dict | None = None
    key: str | None = None

    def new_entry() -> dict:
        return {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set(), "obsolete": False}

    for raw in text.splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#") and not obsolete:
            # A comment after a message's strings begins the next entry.
            if entry is not None and entry["msgstr"]:
                entries.append(entry)
                entry = None
            entry = entry or new_entry()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            key = None
            continue
        if line.startswith('"'):
            assert entry is not None and key is not None, f"string outside an entry: {raw!r}"
            value = json.loads(line)
            if key.startswith("msgstr"):
                entry["msgstr"][key] += value
            else:
                entry[key] = (entry[key] or "") + value
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry is not None and entry["msgstr"]:
            entries.append(entry)
            entry = None
        entry = entry or new_entry()
        entry["obsolete"] = entry["obsolete"] or obsolete
        key = keyword
        value = json.loads(rest)
        if keyword.startswith("msgstr"):
            entry["msgstr"][keyword] = value
        else:
            entry[keyword] = value
    if entry is not None and entry["msgid"] is not None:
        entries.append(entry)
    return entries


def messages_of(path: Path) -> list[dict]:
    """The catalogue's live messages (not the header, not obsolete ones)."""
    return [e for e in read_po(path.read_text(encoding="utf-8")) if e["msgid"] and not e["obsolete"]]


def untranslated_or_fuzzy(entries: list[dict]) -> list[str]:
    return [e["msgid"] for e in entries
            if "fuzzy" in e["flags"] or not e["msgstr"] or any(not s for s in e["msgstr"].values())]


def test_po_reader_reads_multiline_plural_and_fuzzy_entries():
    text = '''msgid ""
msgstr ""
"Language: en\\n"
#: a.py:1
msgid "Satu"
msgstr "One"

#, fuzzy, python-format
msgid ""
"Dua "
"baris %(n)s"
msgstr "Two lines %(n)s"

msgid "berkas"
msgid_plural "berkas-berkas"
msgstr[0] "file"
msgstr[1] ""

#~ msgid "Lama"
#~ msgstr ""
'''
    entries = read_po(text)
    assert [e["msgid"] for e in entries] == ["", "Satu", "Dua baris %(n)s", "berkas", "Lama"]
    assert entries[1]["msgstr"] == {"msgstr": "One"}
    assert entries[2]["flags"] == {"fuzzy", "python-format"}
    assert entries[4]["obsolete"]
    live = [e for e in entries if e["msgid"] and not e["obsolete"]]
    assert untranslated_or_fuzzy(live) == ["Dua baris %(n)s", "berkas"]


# --- The catalogue -------------------------------------------------------------------------------

def test_catalogue_is_where_settings_look_for_it():
    assert CATALOGUE_DIR.parent.parent in [Path(p).resolve() for p in django_settings.LOCALE_PATHS]
    assert PO.is_file() and MO.is_file()


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    entries = read_po(PO.read_text(encoding="utf-8"))
    header = [e for e in entries if e["msgid"] == ""]
    assert len(header) == 1 and "fuzzy" not in header[0]["flags"]
    assert "Language: en\n" in header[0]["msgstr"]["msgstr"]
    messages = [e for e in entries if e["msgid"] and not e["obsolete"]]
    assert len(messages) > 150
    assert untranslated_or_fuzzy(messages) == []


def test_translations_keep_their_placeholders():
    for entry in messages_of(PO):
        for translated in entry["msgstr"].values():
            for placeholder in ("%(id)s", "%(number)s", "%(field)s", "%(value)s"):
                assert (placeholder in entry["msgid"]) == (placeholder in translated), entry["msgid"]


def test_shipped_mo_is_compiled_from_the_po():
    """Machines without gettext use the shipped .mo as is: it must say what the .po says."""
    with MO.open("rb") as handle:
        compiled = stdlib_gettext.GNUTranslations(handle)
    for entry in messages_of(PO):
        if entry["msgid_plural"] is None and entry["msgctxt"] is None:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"]["msgstr"], entry["msgid"]


@pytest.mark.skipif(not (shutil.which("xgettext") and shutil.which("msgmerge")), reason="needs GNU gettext")
def test_catalogue_covers_every_string_marked_for_translation(tmp_path, settings):
    """makemessages on a copy of the package finds no message the English catalogue lacks."""
    package = Path(alur.__file__).resolve().parent
    copy = tmp_path / "alur"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["en"], verbosity=0)
    finally:
        os.chdir(cwd)
    remade = messages_of(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert untranslated_or_fuzzy(remade) == [], "run makemessages -l en in src/alur, translate, compile"


# --- Strings in English --------------------------------------------------------------------------

def test_key_strings_translate_to_english():
    with translation.override("en"):
        assert gettext("Tugas saya") == "My tasks"
        assert gettext("Draft baru") == "New draft"
        assert gettext("Semua perjanjian") == "All agreements"
        assert gettext("Perkara") == "Case"
        assert gettext("Langkah") == "Step"
        assert gettext("Keputusan") == "Decision"
        assert gettext("Kelengkapan") == "Required documents (kelengkapan)"
        assert gettext("Mutu baku") == "Quality standard (mutu baku)"
        assert gettext("Langkah %(number)s selesai.") % {"number": 3} == "Step 3 completed."


def test_indonesian_stays_the_default():
    assert django_settings.LANGUAGE_CODE == "id"
    with translation.override("id"):
        assert gettext("Tugas saya") == "Tugas saya"
        assert str(Case.Status.RUNNING.label) == "Berjalan"


def test_model_choices_and_names_translate():
    with translation.override("en"):
        assert str(Case.Status.RUNNING.label) == "In progress"
        assert str(Case.Status.RETURNED.label) == "Returned"
        assert str(Case.Status.COMPLETED.label) == "Completed"
        assert str(Task.Status.OPEN.label) == "Open"
        assert str(OrgUnit.Kind.OPD.label) == "Regional agency (OPD)"
        assert str(Partner.Kind.PERORANGAN.label) == "Individual"
        assert str(Agreement.Kind.PKS.label) == "Cooperation agreement (PKS)"
        assert str(Case._meta.verbose_name) == "case"
        assert str(Case._meta.get_field("round").verbose_name) == "round"


def test_form_labels_translate():
    fields = IntakeForm.base_fields
    with translation.override("en"):
        assert str(fields["title"].label) == "Agreement title"
        assert str(fields["org_unit"].label) == "Proposing regional agency (OPD)"
        assert str(fields["duration_months"].label) == "Duration (months)"
        assert str(fields["draft"].help_text) == "PDF, DOCX or image."
    with translation.override("id"):
        assert str(fields["title"].label) == "Judul perjanjian"


# --- Pages in English ----------------------------------------------------------------------------

def test_login_template_renders_in_english():
    request = RequestFactory().get("/masuk/")
    request.user = AnonymousUser()
    with translation.override("en"):
        html = render_to_string("web/login.html", {"form": None, "next": ""}, request=request)
    assert "Sign in to Alur" in html
    assert "Username" in html and "Password" in html
    assert '<html lang="en">' in html
    assert "Masuk ke Alur" not in html and "Kata sandi" not in html


@pytest.mark.django_db
def test_login_page_follows_the_browser_language(client):
    english = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in to Alur" in english.content.decode()
    indonesian = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="id")
    assert "Masuk ke Alur" in indonesian.content.decode()


@pytest.mark.django_db
def test_signed_in_user_sees_the_language_they_chose(client):
    user = get_user_model().objects.create_user("tamu", password="rahasia-sekali")
    Preference.objects.create(user=user, language="en")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "My tasks" in html and "Sign out" in html
    assert "Tugas saya" not in html
