"""The look of the pages lives in one stylesheet, static/casework/casework.css: no template
carries a <style> block or a style="" attribute, the stylesheet is found by the staticfiles
finders and every page links it, and the warning levels' colours are those of the code."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from casework.deadlines.models import Level
from casework.deadlines.queries import LEVEL_COLOURS

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STYLESHEET = "casework/casework.css"
STYLE_BLOCK = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def templates():
    found = sorted(TEMPLATES.rglob("*.html"))
    assert found, TEMPLATES
    return found


def offending_lines(pattern):
    hits = []
    for path in templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                hits.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}")
    return hits


def stylesheet_text():
    return Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")


def test_no_template_has_a_style_block():
    assert offending_lines(STYLE_BLOCK) == []


def test_no_template_has_a_style_attribute():
    assert offending_lines(STYLE_ATTRIBUTE) == []


def test_the_checks_would_see_a_style_block_and_a_style_attribute():
    assert STYLE_BLOCK.search("<head><STYLE>p {}</STYLE>")
    assert STYLE_ATTRIBUTE.search('<span class="x" style="color:red">')
    assert STYLE_ATTRIBUTE.search("<td\n  style='white-space:nowrap'>")
    assert not STYLE_ATTRIBUTE.search('<link href="casework.css" rel="stylesheet">')
    assert not STYLE_ATTRIBUTE.search('<span data-style="x">')


def test_the_stylesheet_is_found_by_the_staticfiles_finders():
    found = finders.find(STYLESHEET)
    assert found is not None
    assert Path(found) == Path(settings.BASE_DIR) / "static" / STYLESHEET


def test_the_stylesheet_declares_the_chinese_font_stack_for_the_page_and_viewflow():
    css = stylesheet_text()
    stack = re.search(r"--cw-font:\s*([^;]+);", css).group(1)
    fonts = [font.strip().strip('"') for font in stack.split(",")]
    wanted = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans"]
    positions = [next(i for i, font in enumerate(fonts) if font.startswith(w)) for w in wanted]
    assert positions == sorted(positions)
    assert fonts[-1] == "sans-serif" and "Roboto" not in fonts
    assert "--mdc-typography-font-family: var(--cw-font)" in css
    assert re.search(r"(^|[\s,])body[\s,][^{]*\{\s*font-family: var\(--cw-font\)", css, re.M)


def test_every_warning_level_has_a_class_with_the_colour_of_the_code():
    css = stylesheet_text()
    declared = dict(re.findall(r"\.level-([a-z_]+)\s*\{\s*--cw-level:\s*(#[0-9a-fA-F]{3,6})", css))
    assert declared == {str(level): colour for level, colour in LEVEL_COLOURS.items()}
    assert set(declared) == set(Level.values)


def test_the_printable_document_keeps_a_print_layout():
    css = stylesheet_text()
    print_rules = css[css.index("@media print") :]
    assert ".cw-official" in print_rules and ".cw-noprint" in print_rules


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/complaints/new/", "/complaints/track/"])
def test_the_public_pages_link_the_stylesheet(client, url):
    body = client.get(url).content.decode()
    assert f'href="/static/{STYLESHEET}"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/complaints/new/", "/complaints/track/"])
def test_the_portal_pages_are_styled_by_the_stylesheet_alone(client, url):
    body = client.get(url).content.decode()
    assert '<body class="cw-portal">' in body
    assert not STYLE_BLOCK.search(body) and not STYLE_ATTRIBUTE.search(body)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/workflow/inbox/", "/accountability/", "/deadlines/"])
def test_the_workspace_pages_link_the_stylesheet(client, demo_people, url):
    from casework.org.models import User

    client.force_login(User.objects.get(username="secretariat"))
    response = client.get(url)
    assert response.status_code == 200
    assert f'href="/static/{STYLESHEET}"' in response.content.decode()
