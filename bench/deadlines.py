"""Benchmark of the early-warning queries on PostgreSQL (their targets: bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/deadlines.py [--rows 1000000] [--as-of 2025-07-01]

Creates and migrates its own database (``ensure_database``, ``migrate``, ``load_reference``),
bulk-loads ``--rows`` open deadlines in one ``INSERT … SELECT generate_series`` (plus 5 % done
ones), inserts in SQL the warning events the scan would have created as of ``--as-of`` and
sets ``Deadline.warned`` as the scan would have (so that a scan finds nothing new, through
its fast path; both are checked), compacts and analyses the table and then times, in the
same run and interleaved, the median of ``--repeat`` repetitions of:

* baseline   ``SELECT count(*) FROM deadlines_deadline WHERE due >= %s`` (index-only scan of
  the plain ``due`` index); a second baseline counts the open overdue deadlines over the
  ``deadline_open_due`` partial index;
* (a)        the red ones counted as ``GET /api/v1/deadlines?level=red`` selects them:
  ``Deadline.objects.open().with_level(as_of).at_level(as_of, Level.RED).count()``, and, as
  a secondary line, ``with_level(as_of).filter(level="red").count()``;
* (b)        ``casework.deadlines.services.scan(as_of)`` once everything has been scanned;
  also, for information, the same in a session with ``SET jit = off`` (the planner
  overestimates the first read's rows and compiles it, which is most of its time).

The database is kept (for ``--reuse``) unless ``--drop``.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Bumped whenever the loaded data set changes shape, so that ``--reuse`` reloads a database
# an older version of this script loaded (v=1 had no ``warned`` values).
DATASET_VERSION = 2

# Objects the hand-made experiments of the previous version of this script created (and
# removed at the end); dropped in case an interrupted run left them behind, since they
# would compete with the migrations' indexes.
LEGACY_EXPERIMENT_SQL = [
    "DROP INDEX IF EXISTS bench_experiment_open_duty_due",
    "DROP INDEX IF EXISTS bench_experiment_to_warn",
    "ALTER TABLE deadlines_deadline DROP COLUMN IF EXISTS bench_warned",
]

# The highest level among each deadline's events for a due date ('' for none): what the scan
# stores in ``Deadline.warned`` (as the data migration 0004_warning_ranges derives it).
HIGHEST_EVENT_LEVEL_SQL = """
    SELECT deadline_id, due,
           (ARRAY['pre_warning', 'yellow', 'red'])[max(
               CASE level WHEN 'pre_warning' THEN 1 WHEN 'yellow' THEN 2 WHEN 'red' THEN 3 END
           )] AS level
    FROM deadlines_warningevent GROUP BY deadline_id, due
"""
SET_WARNED_SQL = f"""
    UPDATE deadlines_deadline AS d SET warned = w.level
    FROM ({HIGHEST_EVENT_LEVEL_SQL}) AS w
    WHERE w.deadline_id = d.id AND w.due = d.due AND w.level IS NOT NULL
"""
WARNED_MISMATCH_SQL = f"""
    SELECT count(*) FROM deadlines_deadline AS d
    LEFT JOIN ({HIGHEST_EVENT_LEVEL_SQL}) AS w ON w.deadline_id = d.id AND w.due = d.due
    WHERE d.warned IS DISTINCT FROM coalesce(w.level, '')
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="open deadlines to load")
    parser.add_argument("--units", type=int, default=300, help="responsible units to spread over")
    parser.add_argument(
        "--as-of",
        type=datetime.date.fromisoformat,
        default=datetime.date(2025, 7, 1),
        help="the date the levels are computed for (default 2025-07-01, mid-range)",
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions of each query")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the loaded rows if they match --rows/--units/--as-of and this script's format",
    )
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    return parser.parse_args(argv)


def setup_django():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "DATABASE_URL must point to PostgreSQL, e.g. "
            "postgres://postgres@127.0.0.1:5432/casework_bench"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def prepare_database():
    from django.core.management import call_command

    call_command("ensure_database", verbosity=0)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", verbosity=0)


# --- data ---------------------------------------------------------------------------------


def _meta(cursor, value=None, forget=False):
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
    if forget:
        cursor.execute("DELETE FROM bench_meta WHERE key = 'dataset'")
        return None
    if value is None:
        cursor.execute("SELECT value FROM bench_meta WHERE key = 'dataset'")
        row = cursor.fetchone()
        return row[0] if row else None
    cursor.execute(
        "INSERT INTO bench_meta VALUES ('dataset', %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [value],
    )
    return value


def load(rows: int, units: int, as_of: datetime.date, reuse: bool) -> dict:
    """Bulk-load the deadlines, the warning events and ``warned`` in SQL, in one transaction."""
    from django.db import connection, transaction

    from casework.deadlines.models import Kind

    signature = f"rows={rows} units={units} as_of={as_of.isoformat()} v={DATASET_VERSION}"
    with transaction.atomic(), connection.cursor() as cursor:
        if _meta(cursor) == signature and reuse:
            print(f"reusing the loaded data set ({signature})")
            return {"loaded": False, "seconds": 0.0}
        started = time.perf_counter()
        cursor.execute("TRUNCATE deadlines_deadline CASCADE")
        cursor.execute("DELETE FROM bench_meta")
        cursor.execute(
            """
            INSERT INTO org_department
                (code, name, short_name, kind, vertical, supervising_organ, active)
            SELECT 'bench-' || lpad(i::text, 4, '0'), '基准测试单位' || i, '', 'constituent',
                   false, '', true
            FROM generate_series(1, %s) AS i
            ON CONFLICT (code) DO NOTHING
            """,
            [units],
        )
        kinds = [kind.value for kind in Kind]
        done = rows // 20  # 5 % more rows, done: the "small share done"
        suspended_every = 500  # 0.2 % of the open execution duties are suspended
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
            ), kinds AS (
                SELECT %s::varchar[] AS k
            ), raw AS (
                SELECT g, random() AS r_day, random() AS r_unit, random() AS r_kind
                FROM generate_series(1, %s) AS g
            )
            INSERT INTO deadlines_deadline
                (kind, description, start_date, working_days, due, provisional, done_at,
                 cancelled_at, suspended_on, created_at, responsible_unit_id, warned)
            SELECT picked.kind, '基准测试期限 ' || raw.g, picked.due - 30, NULL, picked.due,
                   picked.due >= '2027-01-01',
                   CASE WHEN raw.g > %s THEN picked.due - 1 + time '10:00' END,
                   NULL,
                   CASE WHEN raw.g %% %s = 0 AND picked.kind IN ('rectification', 'filing')
                        THEN picked.due - 3 END,
                   now(),
                   units.u[1 + floor(raw.r_unit * cardinality(units.u))::int],
                   ''
            FROM raw, days, units, kinds,
                 LATERAL (
                     SELECT days.d[1 + floor(raw.r_day * cardinality(days.d))::int] AS due,
                            kinds.k[1 + floor(raw.r_kind * cardinality(kinds.k))::int] AS kind
                 ) AS picked
            """,
            [kinds, rows + done, rows, suspended_every],
        )
        deadlines_seconds = time.perf_counter() - started
        events = insert_warning_events(cursor, as_of)
        cursor.execute(SET_WARNED_SQL)
        warned = cursor.rowcount
        _meta(cursor, signature)
        seconds = time.perf_counter() - started
    print(
        f"loaded {rows:,} open + {done:,} done deadlines in {deadlines_seconds:.1f} s, "
        f"{events:,} warning events, warned set on {warned:,} deadlines (total {seconds:.1f} s)"
    )
    return {"loaded": True, "seconds": seconds}


def insert_warning_events(cursor, as_of) -> int:
    """The events the scan would have inserted as of ``as_of``, in its own order and with its
    own selection (the public queryset API), as three ``INSERT … SELECT``."""
    from casework.deadlines.models import RIGHT_KINDS, Deadline, Level

    total = 0
    for level, levels in (
        (Level.YELLOW, [Level.YELLOW, Level.RED]),
        (Level.RED, [Level.RED]),
        (Level.PRE_WARNING, [Level.PRE_WARNING]),
    ):
        selection = (
            Deadline.objects.open()
            .exclude(kind__in=list(RIGHT_KINDS))
            .filter(suspended_on__isnull=True)
            .with_level(as_of)
            .filter(level__in=levels)
            .order_by()
            .values_list("pk", "due")
        )
        sql, params = selection.query.sql_with_params()
        cursor.execute(
            "INSERT INTO deadlines_warningevent (deadline_id, level, as_of, due, created_at) "
            f"SELECT t.id, %s, %s, t.due, now() FROM ({sql}) AS t (id, due)",
            [level.value, as_of, *params],
        )
        total += cursor.rowcount
    return total


def vacuum_analyze(loaded: bool):
    """After a load, rewrite the deadline table compactly: setting ``warned`` updated about
    40 % of the rows, which left a dead version of each in the heap and in every index
    (``warned`` is in the predicate of ``deadline_to_warn``, so no update is HOT); the plain
    ``due`` index of the baseline would be read at half density. ``VACUUM FULL`` leaves the
    visibility map empty, so a plain ``VACUUM`` follows, or the index-only scans would visit
    the heap."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if loaded:
            cursor.execute("VACUUM (FULL) deadlines_deadline")
        for table in ("deadlines_deadline", "deadlines_warningevent", "workcalendar_calendarday"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    done = "VACUUM FULL, VACUUM ANALYZE" if loaded else "VACUUM ANALYZE"
    print(f"{done}: {time.perf_counter() - started:.1f} s")


def check_warned(as_of):
    """``warned`` is what the scan would have stored, and the scan's reads without their
    anti-join on the events (``_missing`` minus ``Exists``) already find nothing: the first
    scan then finds nothing through the fast path, not through the arbiter alone."""
    from django.db import connection

    from casework.deadlines.models import Deadline, Level

    with connection.cursor() as cursor:
        cursor.execute(WARNED_MISMATCH_SQL)
        mismatched = cursor.fetchone()[0]
    if mismatched:
        raise RuntimeError(f"{mismatched:,} deadlines whose warned is not their highest event")
    for levels, carded in (
        ([Level.YELLOW, Level.RED], [Level.YELLOW, Level.RED]),
        ([Level.RED], [Level.RED]),
        ([Level.PRE_WARNING], [Level.PRE_WARNING, Level.YELLOW, Level.RED]),
    ):
        left = Deadline.objects.at_level(as_of, *levels).exclude(warned__in=carded).count()
        if left:
            raise RuntimeError(f"{left:,} deadlines at {levels} not marked warned")


def describe_data(as_of):
    """The row counts of the data set, for the report."""
    from django.db import connection

    from casework.deadlines.models import Deadline, Level

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE done_at IS NULL AND cancelled_at IS NULL) "
            "FROM deadlines_deadline"
        )
        total, open_ = cursor.fetchone()
        cursor.execute(
            "SELECT level, count(*) FROM deadlines_warningevent GROUP BY level ORDER BY level"
        )
        events = cursor.fetchall()
        cursor.execute(
            "SELECT warned, count(*) FROM deadlines_deadline GROUP BY warned ORDER BY warned"
        )
        warned = cursor.fetchall()
    levels = {
        level.value: Deadline.objects.at_level(as_of, level).count()
        for level in (Level.RED, Level.YELLOW, Level.PRE_WARNING)
    }
    print(f"deadlines: {total:,}, open {open_:,}; open duties by level as of {as_of}: ", end="")
    print(", ".join(f"{name} {count:,}" for name, count in levels.items()))
    print(f"warning events: {sum(n for _l, n in events):,} (", end="")
    print(", ".join(f"{level} {count:,}" for level, count in events) + ")")
    print("warned: " + ", ".join(f"{value or repr('')} {count:,}" for value, count in warned))


# --- what is timed --------------------------------------------------------------------------


def sql_count(sql, params):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    return run


def red_count(as_of):
    """(a) as ``GET /api/v1/deadlines?level=red`` selects the red ones, counted."""
    from casework.deadlines.models import Deadline, Level

    def run():
        return Deadline.objects.open().with_level(as_of).at_level(as_of, Level.RED).count()

    return run


def red_count_by_annotation(as_of):
    """(a2) the red ones filtered on the ``level`` annotation, counted."""
    from casework.deadlines.models import Deadline, Level

    def run():
        return Deadline.objects.open().with_level(as_of).filter(level=Level.RED).count()

    return run


def full_scan(as_of):
    from casework.deadlines.services import scan

    def run():
        result = scan(as_of)
        if result.total:
            raise RuntimeError(f"the scan found something new: {result}")
        return result.total

    return run


def full_scan_without_jit(as_of):
    """(b) with ``SET jit = off`` for the session: a configuration, not the application."""
    from django.db import connection

    scan_once = full_scan(as_of)

    def run():
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        try:
            return scan_once()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET jit")

    return run


def time_interleaved(candidates: dict, repeat: int) -> dict:
    """Median seconds of each callable over ``repeat`` rounds, interleaved round by round
    (after one untimed warm-up), and the value each returned."""
    values = {name: run() for name, run in candidates.items()}  # warm-up
    samples = {name: [] for name in candidates}
    for _round in range(repeat):
        for name, run in candidates.items():
            started = time.perf_counter()
            run()
            samples[name].append(time.perf_counter() - started)
    return {
        name: {"median": statistics.median(times), "min": min(times), "value": values[name]}
        for name, times in samples.items()
    }


def explain(run, sql_chars=None):
    """EXPLAIN (ANALYZE, BUFFERS) of every query on deadlines that ``run`` executes; a
    server-side cursor (``QuerySet.iterator()``) is explained as the cursor it declares, whose
    plan can differ from the bare SELECT's (``cursor_tuple_fraction``)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if "deadlines_deadline" not in sql:
            continue
        if sql.startswith("DECLARE"):
            select = sql[sql.index(" FOR ") + len(" FOR ") :]
            sql = f"DECLARE bench_explained NO SCROLL CURSOR FOR {select}"
        elif not sql.startswith("SELECT"):
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        shown = sql if sql_chars is None or len(sql) <= sql_chars else sql[:sql_chars] + " …"
        plans.append(f"-- {query['time']} s as run\n{shown}\n{plan}")
    return plans


# --- report ---------------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        settings = []
        for name in ("shared_buffers", "work_mem", "jit", "max_parallel_workers_per_gather"):
            cursor.execute(f"SHOW {name}")
            settings.append(f"{name}={cursor.fetchone()[0]}")
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ", load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    return (
        f"{platform.node()}: {os.cpu_count()} cores{memory}{load}, {platform.machine()}, "
        f"Python {platform.python_version()}, {version} ({', '.join(settings)})"
    )


def table(results: dict, baseline: str, labels: dict) -> str:
    base = results[baseline]["median"]
    lines = [f"{'query':<58} {'median':>10} {'min':>10} {'× baseline':>11} {'result':>10}"]
    for name, label in labels.items():
        if name not in results:
            continue
        row = results[name]
        lines.append(
            f"{label:<58} {row['median'] * 1000:>8.1f}ms {row['min'] * 1000:>8.1f}ms "
            f"{row['median'] / base:>10.1f}× {row['value']:>10,}"
        )
    return "\n".join(lines)


LABELS = {
    "baseline": "baseline: count(*) WHERE due >= as_of (plain due index)",
    "baseline_open": "baseline 2: count(*) open AND due < as_of (partial index)",
    "a": "(a) open().with_level().at_level(as_of, RED).count()",
    "a2": "(a2) open().with_level().filter(level=red).count()",
    "b": "(b) scan(as_of) finding nothing new",
    "b_nojit": "(b) the same, in a session with SET jit = off",
}
TARGETS = {"a": 3, "a2": 3, "b": 10}
BASELINE_SQL = "SELECT count(*) FROM deadlines_deadline WHERE due >= %s"
BASELINE_OPEN_SQL = (
    "SELECT count(*) FROM deadlines_deadline "
    "WHERE done_at IS NULL AND cancelled_at IS NULL AND due < %s"
)


def run_sql(*statements):
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def report_ratios(results):
    base, base_open = results["baseline"]["median"], results["baseline_open"]["median"]
    for key, target in TARGETS.items():
        ratio = results[key]["median"] / base
        print(
            f"  {key}/baseline = {ratio:.1f}× "
            f"(target ≤ {target}×: {'met' if ratio <= target else 'MISSED'}); "
            f"against baseline 2: {results[key]['median'] / base_open:.1f}×"
        )


def print_plans(title, run, sql_chars=None):
    print()
    print(title)
    for plan in explain(run, sql_chars=sql_chars):
        print(plan)
        print()


def loadavg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv=None):
    args = parse_args(argv)
    setup_django()
    prepare_database()
    from django.db import connection

    print(machine())
    print(f"rows: {args.rows:,} open deadlines, as of {args.as_of}, {args.repeat} repetitions")
    run_sql(*LEGACY_EXPERIMENT_SQL)
    loaded = load(args.rows, args.units, args.as_of, args.reuse)["loaded"]
    vacuum_analyze(loaded)
    as_of = args.as_of
    try:
        check_warned(as_of)
        # The first scan must find nothing: the events and the warned values loaded in SQL
        # are what it would have created.
        started = time.perf_counter()
        full_scan(as_of)()
    except Exception:
        with connection.cursor() as cursor:  # the data set is not what it should be: reload
            _meta(cursor, forget=True)
        raise
    print(f"first scan: nothing new ({time.perf_counter() - started:.2f} s)")
    describe_data(as_of)

    print(f"load average before timing: {loadavg()}")
    results = time_interleaved(
        {
            "baseline": sql_count(BASELINE_SQL, [as_of]),
            "baseline_open": sql_count(BASELINE_OPEN_SQL, [as_of]),
            "a": red_count(as_of),
            "a2": red_count_by_annotation(as_of),
            "b": full_scan(as_of),
            "b_nojit": full_scan_without_jit(as_of),
        },
        args.repeat,
    )
    print(f"load average after timing: {loadavg()}")
    if results["a"]["value"] != results["a2"]["value"]:
        raise RuntimeError("at_level and with_level disagree on the red ones")
    print()
    print("As the application stands:")
    print(table(results, "baseline", LABELS))
    report_ratios(results)
    print_plans(
        "EXPLAIN (ANALYZE, BUFFERS) of the baselines:",
        lambda: [sql_count(BASELINE_SQL, [as_of])(), sql_count(BASELINE_OPEN_SQL, [as_of])()],
    )
    print_plans("EXPLAIN (ANALYZE, BUFFERS) of (a):", red_count(as_of))
    print_plans("EXPLAIN (ANALYZE, BUFFERS) of (a2):", red_count_by_annotation(as_of))
    print_plans(
        "EXPLAIN (ANALYZE, BUFFERS) of the reads of (b), one per level; the scan runs them "
        "through a server-side cursor, explained as such:",
        full_scan(as_of),
        300,
    )

    print(f"load average at the end: {loadavg()}")
    if args.drop:
        drop_database()


def drop_database():
    import psycopg
    from django.db import connection
    from psycopg import sql

    name = connection.settings_dict["NAME"]
    params = connection.get_connection_params()
    connection.close()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    print(f"dropped database {name}")


if __name__ == "__main__":
    main()
