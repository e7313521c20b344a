"""The interface in English by a switch in the menu, official documents staying Chinese;
status chips coloured by meaning; the history across the full width, dates that never wrap."""

import pytest

from casework.documents.models import Document
from casework.workspace.templatetags.workspace_tags import MEANINGS, chip

pytestmark = pytest.mark.django_db


def test_the_menu_switches_the_interface_to_english_and_back(login, case):
    client = login("secretariat")
    menu = client.get("/accountability/").content.decode()
    assert 'data-testid="language-switch"' in menu and 'action="/i18n/setlang/"' in menu
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accountability/"})
    assert response.status_code == 302 and response["Location"] == "/accountability/"
    english = client.get("/accountability/").content.decode()
    assert '<html lang="en"' in english and "Accountability case" in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accountability/"})
    assert '<html lang="zh-hans"' in client.get("/accountability/").content.decode()


def test_an_official_document_stays_chinese_in_the_english_interface(login, case, people):
    from casework.accountability import services

    case = services.transition(case, "start", people["mayor"], {})
    document = Document.objects.filter(case=case).order_by("id").first()
    if document is None:
        pytest.skip("starting a case issues no document in this procedure")
    client = login("secretariat")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/accountability/documents/{document.pk}/").content.decode()
    # The workspace around it speaks English; the document itself stays Chinese.
    assert '<html lang="en"' in html
    assert '<article class="cw-official" data-testid="document" lang="zh-Hans">' in html
    official = html.split('data-testid="document"', 1)[1].split("</article>", 1)[0]
    assert document.number in official and "南充市" in official
    assert "年" in official and "月" in official


def test_a_state_chip_is_coloured_by_its_meaning(login, case):
    assert chip("closed") == "cw-chip cw-chip-done"
    assert chip("not_accountable") == "cw-chip cw-chip-stopped"
    assert chip("review_requested") == "cw-chip cw-chip-review"
    assert chip("submitted") == "cw-chip cw-chip-new"
    # Every state of both procedures has a meaning.
    from casework.accountability.models import State as CaseState
    from casework.complaints.models import State as ComplaintState

    known = set().union(*MEANINGS.values())
    assert set(CaseState.values) | set(ComplaintState.values) <= known
    html = login("secretariat").get("/accountability/").content.decode()
    assert '<span class="cw-chip cw-chip-new" data-state="proposed">' in html


def ancestors_of(html, testid):
    """The class attributes of the elements enclosing the element with ``testid``."""
    from html.parser import HTMLParser

    void = {"br", "img", "input", "meta", "link", "hr", "col", "wbr", "source"}

    class Finder(HTMLParser):
        stack, found = [], None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("data-testid") == testid and self.found is None:
                self.found = [cls for _tag, cls in self.stack]
            if tag not in void:
                self.stack.append((tag, attrs.get("class") or ""))

        def handle_endtag(self, tag):
            while self.stack:
                if self.stack.pop()[0] == tag:
                    break

    finder = Finder()
    finder.feed(html)
    return finder.found


@pytest.mark.parametrize("kind", ["case", "complaint"])
def test_the_history_spans_the_page_and_dates_do_not_wrap(login, case, complaint, kind):
    if kind == "case":
        html = login("secretariat").get(f"/accountability/{case.pk}/").content.decode()
    else:
        html = login("complaints").get(f"/complaints/staff/{complaint.pk}/").content.decode()
    enclosing = ancestors_of(html, "history")
    assert enclosing is not None and "cw-page" in enclosing
    assert not any("cw-grid" in cls for cls in enclosing)
    history = html[html.index('data-testid="history"') :]
    assert '<td class="cw-nowrap">' in history
