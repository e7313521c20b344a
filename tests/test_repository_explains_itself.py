"""Someone who clones the repository can follow every citation in it: no file points to a
document outside the repository, and every citation of an article in a comment, a docstring
or a template comment names its law ("Nanchong art. 14", "Xinxiang complaints art. 6",
"Xinxiang warning art. 5"), by the keys of casework.kernel.citations.

This file is scanned like every other: its patterns are written with character classes
(``[.]``, ``[/]``) and its examples are split in two, so that it does not match them itself."""

import ast
import io
import re
import tokenize
from pathlib import Path

from casework.kernel.citations import LAWS

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["casework", "workflows", "bench", "tests", "templates", "README.md", "Makefile", ".ci"]
SKIPPED_PARTS = {"migrations", "locale", "__pycache__", "node_modules"}

# (a) Pointers outside the repository, anywhere in a file.
OUTSIDE = [
    re.compile(pattern, re.I)
    for pattern in (
        r"shared[/]",
        r"procedures[.]md",
        r"architecture[.]md",
        r"spec[/]api[.]md",
        r"(?<!docs[/])\bapi[.]md",
        r"\bissues?[ \t]+#?[0-9]",
    )
]

# (b) A citation of an article, and how far before it its law must be named on the line.
ARTICLE = re.compile(r"\barts?[.]\s*[0-9]", re.I)
LAW_NAMES = [law.key for law in LAWS]
REACH = 40

TEMPLATE_COMMENT = re.compile(
    r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}|<!--.*?-->", re.S
)


def scanned_files():
    for name in SCANNED:
        top = ROOT / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in paths:
            if SKIPPED_PARTS.intersection(path.relative_to(ROOT).parts):
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # an image, a compiled catalogue
            yield path.relative_to(ROOT), text


def python_comments(source):
    """``(line number, text)`` of every comment and every docstring-like string statement
    (a string that is a statement on its own); the string literals of code are left out."""
    statements = {
        (node.lineno, node.col_offset)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT or (
            token.type == tokenize.STRING and token.start in statements
        ):
            for offset, line in enumerate(token.string.splitlines()):
                yield token.start[0] + offset, line


def template_comments(text):
    for match in TEMPLATE_COMMENT.finditer(text):
        first = text.count("\n", 0, match.start()) + 1
        for offset, line in enumerate(match.group().splitlines()):
            yield first + offset, line


def bare_citations(line):
    """The article citations of a line whose law is not named just before them."""
    return [
        match.group()
        for match in ARTICLE.finditer(line)
        if not any(
            name in line[max(0, match.start() - REACH) : match.start()] for name in LAW_NAMES
        )
    ]


def pointers_outside():
    return [
        f"{path}:{number}: {line.strip()}"
        for path, text in scanned_files()
        for number, line in enumerate(text.splitlines(), 1)
        if any(pattern.search(line) for pattern in OUTSIDE)
    ]


def citations_without_their_law():
    hits = []
    for path, text in scanned_files():
        if path.suffix == ".py":
            lines = python_comments(text)
        elif path.suffix == ".html":
            lines = template_comments(text)
        else:
            continue
        hits += [
            f"{path}:{number}: {line.strip()}" for number, line in lines if bare_citations(line)
        ]
    return hits


def test_no_file_points_outside_the_repository():
    assert pointers_outside() == []


def test_every_cited_article_names_its_law():
    assert citations_without_their_law() == []


def test_the_scan_sees_the_files_it_must():
    paths = {path for path, _ in scanned_files()}
    assert Path("README.md") in paths and Path("Makefile") in paths
    assert Path("tests/test_repository_explains_itself.py") in paths
    assert any(path.suffix == ".html" for path in paths)
    assert not any("migrations" in path.parts for path in paths)


def test_the_checks_would_see_what_they_look_for():
    outside = [
        "see " + "shared" + "/spec",
        "(procedures" + ".md 1.3)",
        "Procedures" + ".md section 0: the calendar",
        "architecture" + ".md",
        "the table of api" + ".md",
        "Issue" + " 5, Done means",
        "(issue" + " 3)",
    ]
    for line in outside:
        assert any(pattern.search(line) for pattern in OUTSIDE), line
    assert not any(pattern.search("docs/api" + ".md, Calendar") for pattern in OUTSIDE)
    assert not any(pattern.search("the issue of a document") for pattern in OUTSIDE)

    assert bare_citations("# the objection (art" + ". 8)")
    assert bare_citations("Arts" + ". 5–6 of the measures.")
    assert bare_citations("# Art" + ". 14: the review window")
    assert not bare_citations("# the objection (Nanchong art" + ". 8)")
    assert not bare_citations("# Xinxiang warning arts" + ". 5–8 (三)")
    assert not bare_citations("# the part. 8 of it; 第八条")


def test_comments_and_docstrings_are_scanned_but_not_the_strings_of_code():
    source = (
        '"""Module (art' + '. 1)."""\n'
        "def f():\n"
        '    """Docstring\n    (art' + '. 2)."""\n'
        '    x = "literal (art' + '. 3)"  # comment (art' + ". 4)\n"
        "    return x\n"
    )
    found = [(number, bare_citations(line)) for number, line in python_comments(source)]
    found = [(number, [c.split()[-1] for c in cited]) for number, cited in found if cited]
    assert found == [(1, ["1"]), (4, ["2"]), (5, ["4"])]
    template = "<p>art" + ". 5</p>\n{# art" + ". 6 #}\n<!-- x\nart" + ". 7 -->\n"
    lines = [number for number, line in template_comments(template) if bare_citations(line)]
    assert lines == [2, 4]
