"""The English catalog: the interface is Chinese by default, English on request."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from casework.accountability.models import State

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = CATALOG / "django.po"
MO = CATALOG / "django.mo"
CJK = re.compile(r"[\u3400-\u9fff]")
SITE_TITLE = "Accountability and Efficiency Supervision System"


def _unquote(line: str) -> str:
    """The content of one quoted PO line, with the C escapes a PO file uses."""
    text = line[line.index('"') + 1 : line.rindex('"')]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)


def po_entries(path: Path = PO) -> list[dict]:
    """A small PO parser: the live entries, each with msgctxt, msgid, msgid_plural,
    the msgstr forms and the flags. Obsolete entries (``#~``) are left out."""
    entries, current, field = [], None, None

    def close():
        if current is not None and "msgid" in current:
            entries.append(current)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if current is None or "msgid" in current:
                close()
                current = {"flags": set()}
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += _unquote(line)
        else:
            field = line.split(None, 1)[0]
            if field in ("msgctxt", "msgid") and (current is None or "msgid" in current):
                close()
                current = {"flags": set()}
            current[field] = _unquote(line)
    close()
    return entries


def _msgstrs(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_the_parser_reads_contexts_plurals_and_continued_lines(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt "month"\nmsgid "五月"\nmsgstr "May"\n\n'
        'msgid ""\n"第一行\\n"\n"第二行"\nmsgstr ""\n\n'
        'msgid "一件"\nmsgid_plural "%(n)s 件"\nmsgstr[0] "one"\nmsgstr[1] "%(n)s"\n\n'
        '#~ msgid "旧"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, month, lines, plural = po_entries(sample)
    assert header["msgstr"] == "Language: en\n"
    assert month == {
        "flags": {"fuzzy", "python-format"},
        "msgctxt": "month",
        "msgid": "五月",
        "msgstr": "May",
    }
    assert lines["msgid"] == "第一行\n第二行" and lines["msgstr"] == ""
    assert _msgstrs(plural) == ["one", "%(n)s"] and plural["msgid_plural"] == "%(n)s 件"


def test_the_parser_reads_the_whole_catalog():
    entries = po_entries()
    header = [e for e in entries if e["msgid"] == ""]
    assert len(header) == 1 and "Language: en" in header[0]["msgstr"]
    assert len(entries) > 400


def test_every_message_of_the_po_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = [], []
    for entry in po_entries():
        if entry["msgid"] == "":
            continue
        if not all(_msgstrs(entry)):
            untranslated.append(entry["msgid"])
        if "fuzzy" in entry["flags"]:
            fuzzy.append(entry["msgid"])
    assert untranslated == []
    assert fuzzy == []


def test_the_translations_keep_every_placeholder():
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
    for entry in po_entries():
        if entry["msgid"] == "":
            continue
        wanted = sorted(placeholder.findall(entry["msgid"]))
        for msgstr in _msgstrs(entry):
            assert sorted(placeholder.findall(msgstr)) == wanted, entry["msgid"]
            assert msgstr.count("\n") == entry["msgid"].count("\n"), entry["msgid"]


def test_the_translations_are_english():
    for entry in po_entries():
        if entry["msgid"] == "":
            continue
        for msgstr in _msgstrs(entry):
            assert not CJK.search(msgstr), (entry["msgid"], msgstr)


def test_the_compiled_catalog_holds_every_message_of_the_po():
    with MO.open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)
    assert catalog.info()["language"] == "en"
    missing = []
    for entry in po_entries():
        if entry["msgid"] == "":
            continue
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            got = catalog.pgettext(entry["msgctxt"], msgid)
        elif "msgid_plural" in entry:
            got = catalog.ngettext(msgid, entry["msgid_plural"], 1)
        else:
            got = catalog.gettext(msgid)
        if got == msgid or CJK.search(got):
            missing.append(msgid)
    assert missing == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext's msgfmt is not installed")
def test_msgfmt_finds_nothing_untranslated_or_fuzzy(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "out.mo"), str(PO)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": shutil.which("msgfmt").rsplit("/", 1)[0]},
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\d+ translated messages\.$", result.stderr.strip(), re.M), result.stderr


def test_key_strings_translate_in_english():
    with override("en"):
        assert _("用户名或密码不正确，请重新输入（区分大小写）。") == (
            "Incorrect username or password. Please try again (both are case-sensitive)."
        )
        assert _("问责与效能监察系统") == SITE_TITLE
        assert _("调查结果告知书") == "Notice of Investigation Findings"
        assert _("问责决定书") == "Accountability Decision"
        assert _("效能告诫书") == "Efficiency Admonition Letter"
        assert _("调休上班日") == "Adjusted working day"
        assert _("请于%(due)s前向市长当面汇报有关情况（第六条）。") % {"due": "2026-03-02"} == (
            "You are required to report in person to the mayor on the matters concerned "
            "by 2026-03-02 (Art. 6)."
        )
    with override("zh-hans"):
        assert _("问责与效能监察系统") == "问责与效能监察系统"


def test_the_state_names_translate():
    with override("en"):
        assert str(State.SERVED.label) == "Decision served"
        assert str(State.UNDER_REVIEW.label) == "Under review"
        assert str(State.CLOSED.label) == "Closed"
        for state in State:
            assert not CJK.search(str(state.label)), state
    with override("zh-hans"):
        assert str(State.SERVED.label) == "决定已送达"


@pytest.mark.django_db
def test_the_login_page_speaks_english_when_asked(client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert SITE_TITLE in body
    assert "Accountability · Complaints · Early Warning and Correction" in body
    assert "问责与效能监察系统" not in body


@pytest.mark.django_db
def test_the_login_page_stays_chinese_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert "问责与效能监察系统" in body
    assert SITE_TITLE not in body


@pytest.mark.django_db
def test_the_language_chosen_with_setlang_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert SITE_TITLE in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_a_wrong_password_is_explained_in_english(client, demo_people):
    response = client.post(
        "/accounts/login/",
        {"username": "secretariat", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "Incorrect username or password" in body
    assert not response.wsgi_request.user.is_authenticated
