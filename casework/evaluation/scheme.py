"""The default scoring scheme (Xinxiang performance art. 8–9), seeded by ``load_reference``
where an item of the same code does not exist yet: the bureau edits the items afterwards
(pages and admin, with history), and a second load keeps its edits."""

from decimal import Decimal

from .models import Basis, Method, ScoringItem

# code, name, basis, method, points, cap, article
DEFAULT_ITEMS = [
    (
        "timeliness",
        "办理期限按期率",
        Basis.DEADLINES,
        Method.SCORE,
        "60",
        None,
        "第八条第（三）项",
    ),
    ("satisfaction", "满意度", Basis.SATISFACTION, Method.SCORE, "40", None, "第八条第（九）项"),
    ("yellow_card", "黄牌警告", Basis.YELLOW_CARD, Method.DEDUCTION, "2", "20", "第八条第（十）项"),
    ("red_card", "红牌警告", Basis.RED_CARD, Method.DEDUCTION, "5", "30", "第八条第（十）项"),
    (
        "complaint_upheld",
        "投诉查实",
        Basis.COMPLAINT_UPHELD,
        Method.DEDUCTION,
        "3",
        "30",
        "第十条第（二）项",
    ),
    (
        "repeat_complaint",
        "重复投诉",
        Basis.REPEAT_COMPLAINT,
        Method.DEDUCTION,
        "2",
        "20",
        "第十条第（二）项",
    ),
    (
        "accountability",
        "问责决定",
        Basis.ACCOUNTABILITY_DECISION,
        Method.DEDUCTION,
        "10",
        None,
        "第八条第（六）项",
    ),
    (
        "supervision_late",
        "督查督办事项逾期",
        Basis.SUPERVISION_LATE,
        Method.DEDUCTION,
        "3",
        "15",
        "第八条第（五）项",
    ),
    (
        "deadline_met",
        "按期办结加分",
        Basis.DEADLINE_MET,
        Method.BONUS,
        "0.5",
        "5",
        "第九条",
    ),
]


def ensure_default_scheme() -> int:
    """Create the default items that are missing; the number created."""
    created = 0
    for position, (code, name, basis, method, points, cap, article) in enumerate(DEFAULT_ITEMS):
        _item, made = ScoringItem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "basis": basis,
                "method": method,
                "points": Decimal(points),
                "cap": Decimal(cap) if cap is not None else None,
                "article": f"新乡绩效测评办法{article}",
                "ordering": (position + 1) * 10,
            },
        )
        created += made
    return created
