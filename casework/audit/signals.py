"""``rows_appended(sender=model, pks, using)``: rows were inserted in bulk into an append-only
table (the history rows of a batch), where ``post_save`` would have been sent for each; the
record seals them in one go (``chain.append_many``)."""

from django.dispatch import Signal

rows_appended = Signal()
