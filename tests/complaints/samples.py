"""Real files for the attachment tests, made here: a photo whose EXIF carries a GPS position,
a camera and an owner; a PNG with text chunks; a PDF whose information dictionary and XMP name
its author."""

import io

import pikepdf
from PIL import Image, PngImagePlugin

GPS_IFD = 0x8825
ORIENTATION, MAKE, MODEL, ARTIST = 0x0112, 0x010F, 0x0110, 0x013B


def png(text=None) -> bytes:
    image = Image.new("RGB", (4, 3), (200, 30, 30))
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_gps(width=40, height=20, orientation=1) -> bytes:
    image = Image.new("RGB", (width, height), (20, 120, 200))
    exif = Image.Exif()
    exif[MAKE] = "Huawei"
    exif[MODEL] = "P60 Pro"
    exif[ARTIST] = "Zhang San"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (30.0, 47.0, 55.0)
    gps[3] = "E"
    gps[4] = (106.0, 6.0, 30.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def pdf_with_author(author="张三", pages=1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Author"] = author
    pdf.docinfo["/Title"] = "我的投诉信"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [author]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="secret"))
    return out.getvalue()
