"""Benchmark of the data interface on PostgreSQL (what it measures: bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench_if \\
        .venv/bin/python bench/interface.py [--events 100000] [--items 1000000]

Creates and migrates its own database, then, in the same run:

* (A) **ingestion**: generates ``--events`` item events (the life of ``events / 4`` items of
  ``--clients`` client systems: received, accepted, a fifth suspended for correction and
  resumed, decided, completed; times spread over the first quarter of 2026), starts gunicorn
  (``--workers``; or uses ``--url``) and posts them in batches of ``--batch`` in the order of
  their times, one thread per client system, and times it; then inserts the same rows, in the
  same batches, with the same threads and one transaction per batch, into a plain table with
  a primary key only (the baseline), before and after the API run. Events per second through
  the API are reported as a ratio of the baseline's.
* (B) **levels of 1,000,000 items**: loads ``--items`` accepted items and their deadlines in
  SQL (``INSERT … SELECT generate_series``, as bench/deadlines.py does: due dates over the
  working days of 2024–2026, 2 % suspended, 5 % more decided) and times, interleaved, the
  median of ``--repeat`` runs of the warning levels of the items as the board and /metrics
  count them (the red, yellow and pre-warning ranges, ``at_level``), the full distribution by
  the ``level`` annotation, and the baseline ``SELECT count(*) FROM interface_item``.

The server runs with ``DEBUG=0`` and serves the API only (no page, so no collected static
files are needed).
"""

import argparse
import datetime
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))
from deadlines import explain, setup_django, time_interleaved  # noqa: E402

PLAIN_TABLE = """
    CREATE TABLE IF NOT EXISTS bench_plain_event (
        id bigserial PRIMARY KEY,
        client_id bigint NOT NULL,
        item_id varchar(128) NOT NULL,
        idempotency_key varchar(128) NOT NULL,
        department varchar(32) NOT NULL,
        event varchar(16) NOT NULL,
        at timestamptz NOT NULL,
        matter_type varchar(128) NOT NULL,
        promised_working_days integer NOT NULL,
        received_at timestamptz NOT NULL
    )
"""
UNITS = ["education", "transport", "finance", "tax", "public_security", "health"]
MATTERS = [
    ("食品经营许可", 5),
    ("建设工程规划许可", 10),
    ("民办学校办学许可", 15),
    ("道路运输经营许可", 8),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="item events to ingest")
    parser.add_argument("--batch", type=int, default=1000, help="events per request")
    parser.add_argument("--clients", type=int, default=2, help="client systems posting at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--url", help="a running server instead of starting gunicorn")
    parser.add_argument("--items", type=int, default=1_000_000, help="items for the levels")
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions")
    parser.add_argument(
        "--as-of", type=datetime.date.fromisoformat, default=datetime.date(2025, 7, 1)
    )
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-levels", action="store_true")
    return parser.parse_args(argv)


def prepare_database():
    from django.core.management import call_command

    call_command("ensure_database", verbosity=0)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", verbosity=0)


# --- (A) ingestion --------------------------------------------------------------------------


def reset_interface():
    """A clean slate for the items, their events and deadlines, and the queue."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE interface_delivery, interface_event, interface_itemevent, "
            "interface_clientcall, interface_historicalclientsystem, "
            "django_tasks_database_dbtaskresult"
        )
        cursor.execute("UPDATE interface_item SET deadline_id = NULL")
        cursor.execute("TRUNCATE interface_item CASCADE")
        cursor.execute("DELETE FROM deadlines_historicaldeadline WHERE kind = 'interface_item'")
        cursor.execute("TRUNCATE deadlines_deadline CASCADE")
        cursor.execute("DELETE FROM interface_clientsystem")
        cursor.execute(PLAIN_TABLE)
        cursor.execute("TRUNCATE bench_plain_event")


def make_clients(count):
    from casework.interface.models import ClientSystem, Scope

    keys = []
    for n in range(count):
        client = ClientSystem(name=f"基准测试审批系统{n + 1}", scopes=[Scope.ITEMS_WRITE])
        keys.append((client, client.issue_key()))
        client.save()
    return keys


def life_of(client_no, item_no, rng):
    """The events of one item, in the order of their times."""
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    start = datetime.datetime(2026, 1, 5, 9, tzinfo=shanghai) + datetime.timedelta(
        minutes=rng.randrange(0, 80 * 24 * 60)
    )
    matter, days = MATTERS[item_no % len(MATTERS)]
    steps = [("received", 0), ("accepted", 2)]
    if rng.random() < 0.2:
        steps += [("suspended", 30), ("resumed", 100)]
    steps += [("decided", 24 * rng.randint(1, days + 3)), ("completed", 24 * (days + 4))]
    item_id = f"B{client_no}-{item_no:07d}"
    return [
        {
            "idempotency_key": f"{item_id}-{n}",
            "item_id": item_id,
            "department": UNITS[item_no % len(UNITS)],
            "matter_type": matter,
            "promised_working_days": days,
            "event": kind,
            "at": (start + datetime.timedelta(hours=hours)).isoformat(),
        }
        for n, (kind, hours) in enumerate(steps)
    ]


def generate(total, clients, seed=42):
    """Per client, its events in the order of their times, ``total`` in all."""
    rng = random.Random(seed)
    streams = []
    for client_no in range(clients):
        events, item_no = [], 0
        while len(events) < total // clients:
            events.extend(life_of(client_no, item_no, rng))
            item_no += 1
        events = sorted(events[: total // clients], key=lambda e: e["at"])
        streams.append(events)
    return streams


def batches(events, size):
    return [events[i : i + size] for i in range(0, len(events), size)]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(workers):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "COMPLAINT_IDENTITY_KEY": "bench-identity-" + "y" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",
        "INTERFACE_CLIENT_RATE": "1000000/min",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "casework.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def post_all(url, key, stream, size, latencies, totals, errors):
    for batch in batches(stream, size):
        body = json.dumps({"events": batch}).encode()
        request = urllib.request.Request(
            f"{url}/api/v1/interface/items/events",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                result = json.loads(answer.read())
        except Exception as error:  # reported, and the run fails
            errors.append(repr(error))
            return
        latencies.append(time.perf_counter() - started)
        for name in ("accepted", "duplicates"):
            totals[name] += result[name]
        totals["refused"] += len(result["refused"])


def ingest_through_api(url, keys, streams, size):
    latencies, errors = [], []
    totals = {"accepted": 0, "duplicates": 0, "refused": 0}
    threads = [
        threading.Thread(target=post_all, args=(url, key, stream, size, latencies, totals, errors))
        for (_client, key), stream in zip(keys, streams, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed: {errors[:3]}")
    return seconds, latencies, totals


def plain_insert(keys, streams, size):
    """The baseline: the same rows, the same batches and threads, one transaction per batch,
    into a table with a primary key only."""
    import psycopg
    from django.db import connection

    dsn = connection.get_connection_params()
    dsn.pop("cursor_factory", None)
    dsn.pop("context", None)

    def insert(client, stream):
        with psycopg.connect(**{k: v for k, v in dsn.items() if v is not None}) as db:
            for batch in batches(stream, size):
                now = datetime.datetime.now(datetime.UTC)
                with db.transaction(), db.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO bench_plain_event (client_id, item_id, idempotency_key, "
                        "department, event, at, matter_type, promised_working_days, "
                        "received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        [
                            (
                                client.pk,
                                e["item_id"],
                                e["idempotency_key"],
                                e["department"],
                                e["event"],
                                datetime.datetime.fromisoformat(e["at"]),
                                e["matter_type"],
                                e["promised_working_days"],
                                now,
                            )
                            for e in batch
                        ],
                    )

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_plain_event")
    threads = [
        threading.Thread(target=insert, args=(client, stream))
        for (client, _key), stream in zip(keys, streams, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def run_ingestion(args):
    from django.db import connection
    from django.db.models import Count

    from casework.interface.models import Item, ItemEvent, ItemState

    reset_interface()
    keys = make_clients(args.clients)
    streams = generate(args.events, args.clients)
    total = sum(len(stream) for stream in streams)
    print(
        f"(A) {total:,} events of {args.clients} client systems, batches of {args.batch}, "
        f"{args.workers} gunicorn workers"
    )
    plain_before = plain_insert(keys, streams, args.batch)
    process = None
    url = args.url
    if url is None:
        process, url = start_gunicorn(args.workers)
    try:
        seconds, latencies, totals = ingest_through_api(url, keys, streams, args.batch)
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    plain_after = plain_insert(keys, streams, args.batch)
    if totals["accepted"] != total or totals["refused"] or totals["duplicates"]:
        raise RuntimeError(f"the API did not accept every event: {totals}")
    items = Item.objects.count()
    states = dict(Item.objects.order_by().values_list("state").annotate(n=Count("id")))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM deadlines_deadline WHERE kind = 'interface_item'")
        deadlines = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM interface_event")
        outbox = cursor.fetchone()[0]
    assert ItemEvent.objects.count() == total
    plain = statistics.mean([plain_before, plain_after])
    api_rate, plain_rate = total / seconds, total / plain
    latencies.sort()
    print(
        f"    items {items:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(states.items()))}), "
        f"item deadlines {deadlines:,}, outbox events {outbox:,}"
    )
    print(
        f"    API: {seconds:.1f} s, {api_rate:,.0f} events/s; per batch median "
        f"{statistics.median(latencies) * 1000:.0f} ms, p95 "
        f"{latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms"
    )
    print(
        f"    plain bulk insert: {plain_before:.1f} s before, {plain_after:.1f} s after, "
        f"{plain_rate:,.0f} events/s"
    )
    print(
        f"    ratio API / plain insert: {api_rate / plain_rate:.3f} "
        f"({plain_rate / api_rate:.1f}× slower)"
    )
    assert states.get(ItemState.COMPLETED, 0) > 0
    return {"api": api_rate, "plain": plain_rate}


# --- (B) levels of 1,000,000 items ------------------------------------------------------------


def load_items(rows):
    from django.db import connection, transaction

    from casework.interface.models import ClientSystem

    reset_interface()  # only the items of this part, in tables without dead rows
    client = ClientSystem.objects.create(name="基准测试批量系统", key_prefix="bulk", key_digest="-")
    done = rows // 20
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO org_department
                (code, name, short_name, kind, vertical, supervising_organ, active)
            SELECT 'bench-' || lpad(i::text, 4, '0'), '基准测试单位' || i, '', 'constituent',
                   false, '', true
            FROM generate_series(1, 300) AS i
            ON CONFLICT (code) DO NOTHING
            """
        )
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            """
            WITH days AS (
                SELECT array_agg(date ORDER BY date) AS d
                FROM workcalendar_calendarday
                WHERE is_working AND date BETWEEN '2024-01-01' AND '2026-12-31'
            ), units AS (
                SELECT array_agg(id ORDER BY id) AS u
                FROM org_department WHERE code LIKE 'bench-%%'
            ), raw AS (
                SELECT g, random() AS r_day, random() AS r_unit
                FROM generate_series(1, %s) AS g
            )
            INSERT INTO deadlines_deadline
                (kind, description, start_date, working_days, due, provisional, done_at,
                 cancelled_at, suspended_on, created_at, responsible_unit_id, warned)
            SELECT 'interface_item', 'BULK-' || raw.g || ' 基准测试事项（承诺5个工作日）',
                   picked.due - 7, 5, picked.due, picked.due >= '2027-01-01',
                   CASE WHEN raw.g > %s THEN picked.due - 1 + time '10:00' END,
                   NULL,
                   CASE WHEN raw.g %% 50 = 0 THEN picked.due - 3 END,
                   now(),
                   units.u[1 + floor(raw.r_unit * cardinality(units.u))::int],
                   ''
            FROM raw, days, units,
                 LATERAL (
                     SELECT days.d[1 + floor(raw.r_day * cardinality(days.d))::int] AS due
                 ) AS picked
            """,
            [rows + done, rows],
        )
        cursor.execute(
            """
            INSERT INTO interface_item
                (client_id, item_id, department_id, matter_type, promised_working_days, state,
                 received_at, accepted_at, decided_at, completed_at, paused_working_days,
                 last_event_at, deadline_id, created_at, updated_at)
            SELECT %s, split_part(description, ' ', 1), responsible_unit_id, '基准测试事项', 5,
                   CASE WHEN done_at IS NOT NULL THEN 'decided'
                        WHEN suspended_on IS NOT NULL THEN 'suspended' ELSE 'accepted' END,
                   start_date + time '09:00', start_date + time '10:00', done_at, NULL, 0,
                   coalesce(done_at, start_date + time '10:00'), id, now(), now()
            FROM deadlines_deadline WHERE description LIKE 'BULK-%%'
            """,
            [client.pk],
        )
    with connection.cursor() as cursor:
        for table in ("deadlines_deadline", "interface_item", "workcalendar_calendarday"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(
        f"(B) loaded {rows:,} open + {done:,} decided items and their deadlines in "
        f"{time.perf_counter() - started:.1f} s (with VACUUM ANALYZE)"
    )


def card_levels(as_of, only_items=True):
    """The warning levels as the board and /metrics count them: one range of due dates per
    card level over the partial index — of the items (``kind = interface_item``, which the
    index does not hold, so the rows are read), or of every open duty, which in this data
    set are the items (what /metrics and the board's totals count)."""
    from casework.deadlines.models import Deadline, DeadlineQuerySet, Kind

    def run():
        duties = Deadline.objects.all()
        if only_items:
            duties = duties.filter(kind=Kind.INTERFACE_ITEM)
        return {level: duties.at_level(as_of, level).count() for level in DeadlineQuerySet.BY_DUE}

    return run


def all_levels(as_of):
    """Every level (done, normal and the cards) by the ``level`` annotation, grouped."""
    from django.db.models import Count

    from casework.deadlines.models import Deadline, Kind

    def run():
        rows = (
            Deadline.objects.filter(kind=Kind.INTERFACE_ITEM)
            .with_level(as_of)
            .order_by()
            .values("level")
            .annotate(n=Count("id"))
        )
        return {row["level"]: row["n"] for row in rows}

    return run


def raw_count():
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM interface_item")
            return cursor.fetchone()[0]

    return run


def run_levels(args):
    load_items(args.items)
    results = time_interleaved(
        {
            "baseline": raw_count(),
            "cards": card_levels(args.as_of),
            "duties": card_levels(args.as_of, only_items=False),
            "all": all_levels(args.as_of),
        },
        args.repeat,
    )
    base = results["baseline"]["median"]
    cards, every = results["cards"]["value"], results["all"]["value"]
    for level, count in cards.items():
        if every.get(level) != count or results["duties"]["value"][level] != count:
            raise RuntimeError(f"the ways disagree on {level}: {count} ≠ {every.get(level)}")
    print(f"    items: {results['baseline']['value']:,}; levels as of {args.as_of}: {every}")
    for name, text in (
        ("baseline", "SELECT count(*) FROM interface_item"),
        ("cards", "red, yellow, pre-warning of the items: at_level + kind"),
        ("duties", "the same over all open duties (board totals, /metrics)"),
        ("all", "every level: with_level annotation, grouped"),
    ):
        median = results[name]["median"]
        print(f"    {text:<62} {median * 1000:8.1f} ms  {median / base:5.1f}×")
    for plan in explain(card_levels(args.as_of), sql_chars=300):
        print(plan)
    for plan in explain(card_levels(args.as_of, only_items=False), sql_chars=300):
        print(plan)
    return results


def main(argv=None):
    args = parse_args(argv)
    setup_django()
    prepare_database()
    print(
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    if not args.skip_ingest:
        run_ingestion(args)
    if not args.skip_levels:
        run_levels(args)


if __name__ == "__main__":
    main()
