"""Re-encrypt every complainant's identity and every attachment under the first
``COMPLAINT_IDENTITY_KEY`` (README, "Operations"). Rotation:

1. put the new key first: ``COMPLAINT_IDENTITY_KEY=new,old`` — the new key encrypts from now
   on, both decrypt;
2. ``python manage.py rotate_identity_key``: everything is re-encrypted under the new key;
3. remove the old key: ``COMPLAINT_IDENTITY_KEY=new``.

Safe to run again (it re-encrypts again) and to interrupt: each complaint's identity is
saved in its own transaction, each file replaced whole. No history row is written: the
identity is not in the history, and its content does not change.
"""

from cryptography.fernet import InvalidToken
from django.core.management import BaseCommand, CommandError
from django.db import connection, transaction

from casework.complaints import attachments
from casework.complaints.models import Complaint

IDENTITY = ("name", "phone", "email")


class Command(BaseCommand):
    help = "以第一个 COMPLAINT_IDENTITY_KEY 重新加密全部投诉人身份信息和附件，并报告数量。"

    def handle(self, *args, **options):
        identities = self.rotate_identities()
        files = self.rotate_attachments()
        self.stdout.write(
            f"投诉人身份：{identities} 件投诉已重新加密；"
            f"附件：{files['token']} 个已重新加密，{files['plain']} 个原未加密、现已加密，"
            f"{files['missing']} 个文件缺失。"
        )
        if files["missing"]:
            raise SystemExit(1)

    def rotate_identities(self) -> int:
        fields = [Complaint._meta.get_field(name) for name in IDENTITY]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        table = connection.ops.quote_name(Complaint._meta.db_table)
        count = 0
        holders = Complaint.objects.exclude(name=None, phone=None, email=None)
        for pk in holders.values_list("pk", flat=True).iterator():
            with transaction.atomic():
                complaint = Complaint.objects.select_for_update().get(pk=pk)
                # The stored tokens must decrypt with a key we have: the fields themselves
                # would hand back an undecryptable token as if it were the value.
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])
                    tokens = cursor.fetchone()
                for field, token in zip(fields, tokens, strict=True):
                    if not token:
                        continue
                    try:
                        field.f.decrypt(token.encode())
                    except InvalidToken as error:
                        raise CommandError(
                            f"投诉 {pk} 的{field.verbose_name}无法用现有密钥解密：旧密钥须留在 "
                            "COMPLAINT_IDENTITY_KEY 中，直至轮换完成。"
                        ) from error
                if not any(tokens):
                    continue
                # Read, it is decrypted with any key; saved, it is encrypted with the first.
                complaint.save_without_historical_record(update_fields=list(IDENTITY))
                count += 1
        return count

    def rotate_attachments(self) -> dict:
        storage = attachments.storage()
        counts = {"token": 0, "plain": 0, "missing": 0}
        names = Complaint.objects.exclude(attachment="").values_list("pk", "attachment")
        for pk, name in names.iterator():
            if not storage.exists(name):
                self.stderr.write(f"投诉 {pk} 的附件 {name} 不存在。")
                counts["missing"] += 1
                continue
            try:
                raw, was = attachments.reencrypt(storage.read_raw(name))
            except InvalidToken as error:
                raise CommandError(f"投诉 {pk} 的附件无法用现有密钥解密。") from error
            storage.replace_raw(name, raw)
            counts[was] += 1
        return counts
