"""Reading a PDF the way the tests check a 公文: page size and fonts with pikepdf, the text and
where each word lies with poppler's pdftotext."""

import io
import re
import subprocess
from dataclasses import dataclass
from html import unescape

import pikepdf

MM = 72 / 25.4  # points per millimetre
A4 = (595.28, 841.89)


@dataclass
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def pages(pdf: bytes) -> list:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [[float(v) for v in page.mediabox] for page in document.pages]


def fonts(pdf: bytes) -> dict[str, bool]:
    """Each font's name → whether its program is embedded (/FontFile, /FontFile2, /FontFile3,
    found in its descriptor or its descendant's)."""
    found = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for font in page.resources.get("/Font", {}).values():
                descriptors = [font.get("/FontDescriptor")] + [
                    d.get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
                ]
                embedded = any(
                    d is not None and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    for d in descriptors
                )
                found[str(font.get("/BaseFont"))] = embedded
    return found


def text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def words(pdf: bytes) -> list[Word]:
    """Every word with its box in points from the top-left corner of its page."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    found = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for x0, y0, x1, y1, word in WORD.findall(page):
            found.append(Word(number, unescape(word), *map(float, (x0, y0, x1, y1))))
    return found
