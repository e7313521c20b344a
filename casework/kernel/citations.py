"""Citations of the law, as the declarations give them: "Nanchong art. 14" in code and in
``docs/``, "南充办法第十四条" on screen. The texts are summarised in ``docs/law.md``."""

from dataclasses import dataclass

_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 22 → 二十二 (articles and items up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Law:
    key: str  # how code and docs name it: "Nanchong"
    short: str  # how a page names it: "南充办法"
    title: str  # its full title

    def art(self, article: int, item: int | None = None) -> "Citation":
        return Citation(self, article, item)


@dataclass(frozen=True)
class Citation:
    law: Law
    article: int
    item: int | None = None

    def __str__(self) -> str:
        item = f" ({self.item})" if self.item else ""
        return f"{self.law.key} art. {self.article}{item}"

    @property
    def chinese(self) -> str:
        item = f"第（{chinese_number(self.item)}）项" if self.item else ""
        return f"{self.law.short}第{chinese_number(self.article)}条{item}"


NANCHONG = Law("Nanchong", "南充办法", "南充市政府对政府部门行政首长问责暂行办法（2004）")
XINXIANG_COMPLAINTS = Law(
    "Xinxiang complaints", "新乡投诉办法", "新乡市电子监察系统投诉处理办法（试行，2010）"
)
XINXIANG_WARNING = Law(
    "Xinxiang warning", "新乡预警纠错办法", "新乡市电子监察预警纠错办法（试行，2010）"
)
XIAN_MEETING = Law(
    "Xi'an meeting rules", "西安常务会议细则", "西安市人民政府常务会议管理细则（2007）"
)
LIUPANSHUI = Law(
    "Liupanshui",
    "六盘水办法",
    "六盘水市市级行政审批电子管理暨电子监察系统使用和维护暂行办法（2010）",
)
CBRC = Law("CBRC", "银监会指引", "电子银行安全评估指引（2006）")
# The data interface for other systems (docs/interface.md).
XINXIANG_SUPERVISION = Law(
    "Xinxiang e-supervision", "新乡电子监察办法", "新乡市电子监察管理办法（试行，2010）"
)
QUZHOU = Law("Quzhou", "衢州方案", "衢州市电子监察系统建设工作实施方案（2008）")
# Monthly performance evaluation (docs/evaluation.md), and the objection mark it borrows.
XINXIANG_PERFORMANCE = Law(
    "Xinxiang performance",
    "新乡绩效测评办法",
    "新乡市行政审批电子监察绩效测评办法（试行，2010）",
)
# Supervision of assigned matters (docs/supervision.md): the measures are in sections; a
# citation "Handan supervision art. 4 (n)" is section 四 (督查工作程序和方式), item (n) of its
# part (一): (1) 立项, (2) 督办, (3) 反馈, (4) 归档.
HANDAN = Law(
    "Handan supervision",
    "邯郸督查办法",
    "邯郸市人民政府关于进一步加强和规范政务督查工作的实施办法（试行，2004）",
)
HUBEI = Law("Hubei", "湖北信用办法", "湖北省个人信用信息采集与应用管理办法（试行，2008）")

LAWS = [
    NANCHONG,
    XINXIANG_COMPLAINTS,
    XINXIANG_WARNING,
    XIAN_MEETING,
    LIUPANSHUI,
    CBRC,
    XINXIANG_SUPERVISION,
    QUZHOU,
    XINXIANG_PERFORMANCE,
    HUBEI,
    HANDAN,
]
