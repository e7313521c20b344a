"""How long WeasyPrint takes to render each document type as a 公文 PDF, and how large the
PDFs are (docs/documents.md). No database: each document is a stand-in with the fields the
formats read.

    .venv/bin/python bench/documents.py [--repeat 5] [--paragraphs 2]
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")

import django  # noqa: E402

django.setup()

from casework.documents import rendering  # noqa: E402
from casework.documents.models import DocType  # noqa: E402

PARAGRAPH = (
    "经调查核实，该局未按期完成政府工作报告确定的教育基础设施建设任务，影响了全市教育工作的"
    "整体推进。根据《南充市政府对政府部门行政首长问责暂行办法》第十三条，现予通知。"
)


def stand_in(doc_type, paragraphs):
    official = types.SimpleNamespace(title="教育局局长", name="刘建华")
    case = types.SimpleNamespace(
        official=official,
        department=types.SimpleNamespace(name="南充市教育局"),
        investigation_report="调查报告",
    )
    return types.SimpleNamespace(
        doc_type=doc_type,
        number="南府问〔2026〕12号",
        title=str(DocType(doc_type).label),
        addressee="南充市教育局 刘建华",
        body="\n".join([PARAGRAPH] * paragraphs),
        issued_on=datetime.date(2026, 12, 1),
        case=case,
        case_id=1,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--paragraphs", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    rendering.render_pdf(stand_in(DocType.DECISION, 1))
    print(f"first rendering in the process (fonts loaded): {time.perf_counter() - started:.2f} s")
    print(f"{'type':28} {'median s':>9} {'max s':>7} {'pages':>6} {'bytes':>8}")
    for doc_type in DocType.values:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            pdf, pages = rendering.render_pdf(stand_in(doc_type, args.paragraphs))
            times.append(time.perf_counter() - started)
        print(
            f"{doc_type:28} {statistics.median(times):9.2f} {max(times):7.2f} {pages:6} "
            f"{len(pdf):8}"
        )


if __name__ == "__main__":
    main()
