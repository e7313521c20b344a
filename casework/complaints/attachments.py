"""A complaint's attachment (Xinxiang complaints art. 8): a photo or a letter that may show
who complained and where they were.

* **On upload** its metadata is removed: a photo is decoded and written again with nothing but
  its pixels (no EXIF — no GPS position, camera, owner or time —, no XMP, no ICC or text
  chunks), turned upright first as its EXIF orientation said; a PDF loses its document
  information dictionary (author, creator, producer, dates) and its XMP metadata streams. A
  file that cannot be read as what its content claims to be is refused.
* **At rest** it is encrypted (Fernet) with keys derived, like the complainant's name and
  contact details, from ``COMPLAINT_IDENTITY_KEY`` and ``SECRET_KEY`` — for attachments under
  a salt of their own. The first key encrypts, all decrypt; ``manage.py rotate_identity_key``
  re-encrypts under the first key. A file stored before encryption was introduced is read as
  it is, and encrypted by the next rotation.
* **Every view** by the office is logged like a view of the identity (``services.open_attachment``).
"""

import base64
import functools
import io
import os
import tempfile
import warnings

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from casework.exceptions import InvalidInput

# Fernet tokens start with the version byte 0x80, base64url-encoded: "gAAAAA".
TOKEN_PREFIX = b"gAAAAA"
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


# --- metadata ---------------------------------------------------------------------------------


def unreadable():
    message = _("附件无法读取（文件已损坏或内容与类型不符），请重新选择。")
    return InvalidInput(message, {"attachment": [message]})


def strip_metadata(data: bytes, mime: str) -> bytes:
    """The file without anything but its content (see the module)."""
    if mime in IMAGE_FORMATS:
        return _clean_image(data, IMAGE_FORMATS[mime])
    if mime == "application/pdf":
        return _clean_pdf(data)
    raise unreadable()


def _clean_image(data: bytes, image_format: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != image_format:
                    raise unreadable()
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning) as error:
        raise unreadable() from error
    # Pixels only: a new image, so that no metadata the decoder kept can be written back.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    if upright.mode == "P":
        clean.putpalette(upright.getpalette())
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, format="JPEG", quality=92)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()


def _clean_pdf(data: bytes) -> bytes:
    import pikepdf  # here: its import loads a C++ library and logs, for every command

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            # Not pdf.docinfo: reading it creates an empty dictionary.
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            for holder in (pdf.Root, *(page.obj for page in pdf.pages)):
                for key in ("/Metadata", "/PieceInfo"):
                    if key in holder:
                        del holder[key]
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False, deterministic_id=True)
            return out.getvalue()
    except pikepdf.PasswordError as error:
        message = _("PDF 附件不得加密或设置打开密码。")
        raise InvalidInput(message, {"attachment": [message]}) from error
    except (pikepdf.PdfError, OSError, ValueError) as error:
        raise unreadable() from error


# --- encryption -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _fernet(secrets: tuple[str, ...], salts: tuple[str, ...]) -> MultiFernet:
    keys = []
    for salt in salts:
        for secret in secrets:
            kdf = PBKDF2HMAC(
                algorithm=hashes.SHA256(),
                length=32,
                salt=f"{salt}/complaint-attachments".encode(),
                iterations=100_000,
            )
            keys.append(Fernet(base64.urlsafe_b64encode(kdf.derive(secret.encode()))))
    return MultiFernet(keys)


def fernet() -> MultiFernet:
    """The attachments' keys: the first encrypts, all decrypt (derived from every
    ``COMPLAINT_IDENTITY_KEY``, the first first, with ``SECRET_KEY`` and its fallbacks)."""
    salts = settings.SALT_KEY if isinstance(settings.SALT_KEY, list) else [settings.SALT_KEY]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return _fernet(tuple(secrets), tuple(salts))


def decrypt(raw: bytes) -> bytes:
    if not raw.startswith(TOKEN_PREFIX):
        return raw  # stored before encryption: the next rotation encrypts it
    try:
        return fernet().decrypt(raw)
    except InvalidToken as error:
        raise OSError(_("附件无法解密：密钥不符。")) from error


@deconstructible(path="casework.complaints.attachments.EncryptedStorage")
class EncryptedStorage(FileSystemStorage):
    """``MEDIA_ROOT``, each file a Fernet token; ``open`` gives the plain content."""

    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, ContentFile(fernet().encrypt(content.read())))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as stored:
            raw = stored.read()
        return ContentFile(decrypt(raw), name=name)

    def read_raw(self, name) -> bytes:
        with super()._open(name, "rb") as stored:
            return stored.read()

    def replace_raw(self, name, raw: bytes) -> None:
        """Write ``raw`` in place of the file, whole or not at all."""
        path = self.path(name)
        directory = os.path.dirname(path)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".rotate-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(raw)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, self.file_permissions_mode or 0o644)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


def storage():
    """The attachments' storage (the field's ``storage=``; a callable, so that a changed
    ``MEDIA_ROOT`` is honoured)."""
    return _storage


_storage = EncryptedStorage()


def reencrypt(raw: bytes) -> tuple[bytes, str]:
    """``raw`` under the first key, and what it was: ``"token"`` (a Fernet token, rotated)
    or ``"plain"`` (stored before encryption)."""
    keys = fernet()
    if raw.startswith(TOKEN_PREFIX):
        return keys.rotate(raw), "token"
    return keys.encrypt(raw), "plain"
