"""What the tamper-evident record costs an act (bench/README.md, ``audit_cost.py``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench_audit \\
        .venv/bin/python bench/audit_cost.py [--cases 30] [--drop]

Creates and migrates its own database (``ensure_database``, ``migrate``, ``load_reference``,
the demo people), then walks ``--cases`` accountability cases through four acts each —
register, ``start`` (a document), ``assign_investigation`` (a document and a deadline),
``notify_findings`` (a document, a deadline closed and one opened) — once with the chain and
once without it (its receivers disconnected and its lock a no-op), interleaved case by case,
and prints per act: the median time, the queries, and the rows sealed. Works on SQLite too
(``DATABASE_URL=sqlite:///…``).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ACTS = [
    ("start", "mayor", {"on": "2026-03-02"}),
    ("assign_investigation", "mayor", {"on": "2026-03-03", "working_days": 10}),
    (
        "notify_findings",
        "investigator",
        {"on": "2026-03-10", "findings": "未按期完成", "served_on": "2026-03-10"},
    ),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=30)
    parser.add_argument("--drop", action="store_true")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models.signals import post_save
    from django.test.utils import CaptureQueriesContext

    from casework.accountability import services
    from casework.audit import chain
    from casework.audit.models import AuditEntry
    from casework.org.demo import load_demo_people
    from casework.org.models import Official, User

    call_command("ensure_database")
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    load_demo_people()
    people = {user.username: user for user in User.objects.all()}
    official = Official.objects.get(user__username="head_education").pk
    real_lock = chain.lock

    def switch(on):
        for table, model in chain.sealed_models().items():
            if on:
                post_save.connect(
                    chain._on_insert, sender=model, weak=False, dispatch_uid=f"audit_seal_{table}"
                )
            else:
                post_save.disconnect(sender=model, dispatch_uid=f"audit_seal_{table}")
        chain.lock = real_lock if on else (lambda using="default": None)

    samples = {(on, act): [] for on in (True, False) for act in ["register"] + [a[0] for a in ACTS]}
    queries = {}
    sealed = {}

    def measure(on, act, call):
        entries = AuditEntry.objects.count()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = call()
            samples[(on, act)].append((time.perf_counter() - started) * 1000)
        queries[(on, act)] = len(captured)
        if on:
            sealed[act] = AuditEntry.objects.count() - entries
        return result

    for index in range(options.cases):
        for on in (True, False) if index % 2 == 0 else (False, True):
            switch(on)
            body = {
                "official": official,
                "grounds": ["4.1.1"],
                "source": "mayor",
                "summary": "成本测量",
                "on": "2026-03-02",
            }
            case = measure(
                on, "register", lambda b=body: services.register_case(people["secretariat"], b)
            )
            for name, username, act_body in ACTS:
                case = measure(
                    on,
                    name,
                    lambda c=case, n=name, u=username, b=act_body: services.transition(
                        c, n, people[u], dict(b)
                    ),
                )
    switch(True)
    print(f"{connection.vendor}, {options.cases} cases, median of each act")
    print(f"{'act':22} {'sealed':>6} {'queries':>15} {'ms with':>9} {'ms without':>11} {'+ms':>6}")
    for act in ["register"] + [a[0] for a in ACTS]:
        with_ms = statistics.median(samples[(True, act)])
        without_ms = statistics.median(samples[(False, act)])
        print(
            f"{act:22} {sealed[act]:>6} {queries[(False, act)]:>6} → {queries[(True, act)]:>6} "
            f"{with_ms:>9.1f} {without_ms:>11.1f} {with_ms - without_ms:>6.1f}"
        )
    if options.drop and connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        connection.close()
        import psycopg

        params = connection.get_connection_params()
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
