"""``item_moved(sender=<the declared Procedure>, item, old_date, new_date, actor, on)``: a postponed
meeting moved an item to another meeting. The procedure whose case it is keeps its own copy
of the date (the accountability case's ``meeting_date``, which its guard reads)."""

from django.dispatch import Signal

item_moved = Signal()
