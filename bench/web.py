"""The web benchmark: every page and list, every task screen and a transition, on a small and
on a big data set, each as a ratio to ``GET /api/v1/health`` measured in the same run; and
sustained transitions per second against ``pgbench -N`` on the same server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_web \\
        .venv/bin/python bench/web.py [--sizes 100,100000] [--rounds 5] [--json out.json]
    .venv/bin/python bench/web.py --compare before.json after.json

For each size it loads a fresh database (``<name>_<size>``): the reference data and the demo
people, the demo cases and complaints (every state, with their history, deadlines, documents,
processes and tasks, made through the services), then copies of them in SQL
(``INSERT … SELECT … CROSS JOIN generate_series``) until there are ``size`` cases, keeping
every constraint (numbers and tracking codes made unique, every reference moved with its
copy) — the processes, tasks and history rows the pages read come with them. It then starts
gunicorn (``DEBUG=0``, ``--workers``), signs in the demo roles, and measures with
``--clients`` concurrent clients, ``--rounds`` rounds, the p50 and p95 of each page; the
transition latency (``start`` on cases in ``proposed``); the transitions per second
sustained for ``--seconds``; and ``pgbench -N`` on the same server. PostgreSQL only; not a
test (pytest collects ``tests/`` only). See bench/README.md.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "demo-pass-2026"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,100000", help="cases per data set, comma-separated")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (the median is reported)")
    parser.add_argument("--requests", type=int, default=20, help="requests per page per round")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seconds", type=int, default=20, help="sustained transitions, seconds")
    parser.add_argument("--reuse", action="store_true", help="keep a database already loaded")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    return parser.parse_args(argv)


# ------------------------------------------------------------------------------------------
# Loading a data set
# ------------------------------------------------------------------------------------------


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _loaded_size(cursor):
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_web_meta (key text PRIMARY KEY, value text)")
    cursor.execute("SELECT value FROM bench_web_meta WHERE key = 'cases'")
    row = cursor.fetchone()
    return int(row[0]) if row else None


def load(size: int, reuse: bool) -> dict:
    """Load (or reuse) a data set of ``size`` cases; the figures of what was loaded."""
    from django.core.management import call_command
    from django.db import connection

    call_command("ensure_database", verbosity=0)
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        if reuse and _loaded_size(cursor) == size:
            return counts()
    call_command("flush", verbosity=0, interactive=False)
    call_command("demo", verbosity=0)
    from casework.accountability.models import AccountabilityCase

    templates = AccountabilityCase.objects.count()
    copies = max(0, -(-(size - templates) // templates))  # ceil
    started = time.perf_counter()
    if copies:
        clone_everything(copies)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
        _loaded_size(cursor)
        cursor.execute(
            "INSERT INTO bench_web_meta VALUES ('cases', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [str(size)],
        )
    figures = counts()
    figures["load_seconds"] = round(time.perf_counter() - started, 1)
    return figures


def counts() -> dict:
    from django.db import connection

    tables = {
        "cases": "accountability_accountabilitycase",
        "case history rows": "accountability_historicalaccountabilitycase",
        "complaints": "complaints_complaint",
        "deadlines": "deadlines_deadline",
        "documents": "documents_document",
        "processes": "viewflow_process",
        "tasks": "viewflow_task",
    }
    found = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — our own table names
            found[name] = cursor.fetchone()[0]
    return found


def _offset(cursor, table, column="id"):
    cursor.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}")  # noqa: S608
    return cursor.fetchone()[0]


def clone_everything(copies: int):
    """``copies`` copies of every case and complaint with everything that hangs off them. Each
    copied row's key is its template's plus ``g × offset`` (``g`` = 1 … copies, ``offset`` =
    the template table's max id + 1), and so is every reference to a copied table; the
    numbers and codes that must be unique get the copy's number."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from viewflow.workflow.models import Process, Task

    Case = apps.get_model("accountability", "AccountabilityCase")
    Complaint = apps.get_model("complaints", "Complaint")
    models = [
        Case,
        apps.get_model("accountability", "Decision"),
        apps.get_model("accountability", "ReviewRequest"),
        apps.get_model("accountability", "Referral"),
        apps.get_model("accountability", "PriorSanction"),
        apps.get_model("accountability", "LinkedCase"),
        Complaint,
        apps.get_model("documents", "Document"),
        apps.get_model("documents", "Amendment"),
        apps.get_model("deadlines", "Deadline"),
        apps.get_model("deadlines", "Extension"),
        Process,
        Task,
    ]
    case_type = ContentType.objects.get_for_model(Case).pk
    complaint_type = ContentType.objects.get_for_model(Complaint).pk
    with transaction.atomic(), connection.cursor() as cursor:
        offsets = {model: _offset(cursor, model._meta.db_table) for model in models}
        seq_offset = _offset(cursor, "documents_document", "seq")

        def moved(field_column, model):
            return f"{field_column} + g * {offsets[model]}"

        def artifact(prefix=""):
            return (
                f"CASE {prefix}artifact_content_type_id "
                f"WHEN {case_type} THEN {prefix}artifact_object_id + g * {offsets[Case]} "
                f"WHEN {complaint_type} THEN {prefix}artifact_object_id + g * {offsets[Complaint]} "
                f"ELSE {prefix}artifact_object_id END"
            )

        special = {
            (Case, "number"): "number || '·' || g",
            (Complaint, "tracking_code"): (
                "upper(substr(md5(tracking_code || g::text), 1, 4) || '-' || "
                "substr(md5(tracking_code || g::text), 5, 4) || '-' || "
                "substr(md5(tracking_code || g::text), 9, 4) || '-' || "
                "substr(md5(tracking_code || g::text), 13, 4))"
            ),
            (apps.get_model("documents", "Document"), "number"): "number || '·' || g",
            (apps.get_model("documents", "Document"), "seq"): f"seq + g * {seq_offset}",
            (Process, "artifact_object_id"): artifact(),
            (Task, "artifact_object_id"): artifact(),
        }

        def expression(model, field):
            if (model, field.column) in special:
                return special[(model, field.column)]
            if field.primary_key:
                return moved(field.column, model)
            if field.is_relation and field.related_model in offsets:
                return moved(field.column, field.related_model)
            return field.column

        for model in models:
            fields = model._meta.concrete_fields
            columns = ", ".join(f.column for f in fields)
            exprs = ", ".join(expression(model, f) for f in fields)
            table = model._meta.db_table
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {exprs} FROM {table} "  # noqa: S608
                f"CROSS JOIN generate_series(1, {copies}) AS g WHERE id < {offsets[model]}"
            )
            # The history rows of the model, if it has them, follow their object.
            history = getattr(model, "history", None)
            if history is not None:
                _clone_history(cursor, history.model, model, offsets, copies, expression)
            # Many-to-many tables of the model (grounds, modes, the tasks' previous ones).
            for m2m in model._meta.many_to_many:
                through = m2m.remote_field.through
                t_fields = through._meta.concrete_fields
                t_offset = _offset(cursor, through._meta.db_table)
                t_exprs = []
                for f in t_fields:
                    if f.primary_key:
                        t_exprs.append(f"{f.column} + g * {t_offset}")
                    elif f.is_relation and f.related_model in offsets:
                        t_exprs.append(moved(f.column, f.related_model))
                    else:
                        t_exprs.append(f.column)
                cursor.execute(
                    f"INSERT INTO {through._meta.db_table} "  # noqa: S608
                    f"({', '.join(f.column for f in t_fields)}) "
                    f"SELECT {', '.join(t_exprs)} FROM {through._meta.db_table} "
                    f"CROSS JOIN generate_series(1, {copies}) AS g WHERE id < {t_offset}"
                )
        # Every sequence after its table's highest id.
        for model in [*models, *(m.history.model for m in models if hasattr(m, "history"))]:
            _reset_sequence(cursor, model._meta.db_table)
        for model in models:
            for m2m in model._meta.many_to_many:
                _reset_sequence(cursor, m2m.remote_field.through._meta.db_table)
        # The yearly document counters after the copies' numbers, as issuing would leave them
        # (a counter behind its copies would hand out a number already taken).
        cursor.execute(
            "UPDATE documents_documentcounter AS c SET last = m.last "
            "FROM (SELECT doc_type, year, MAX(seq) AS last FROM documents_document "
            "GROUP BY doc_type, year) AS m WHERE c.doc_type = m.doc_type AND c.year = m.year"
        )


def _clone_history(cursor, history_model, model, offsets, copies, expression):
    table = history_model._meta.db_table
    h_offset = _offset(cursor, table, "history_id")
    source_fields = {f.column: f for f in model._meta.concrete_fields}
    exprs, columns = [], []
    for field in history_model._meta.concrete_fields:
        columns.append(field.column)
        if field.column == "history_id":
            exprs.append(f"history_id + g * {h_offset}")
        elif field.column in source_fields:
            exprs.append(expression(model, source_fields[field.column]))
        else:
            exprs.append(field.column)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} "  # noqa: S608
        f"FROM {table} CROSS JOIN generate_series(1, {copies}) AS g "
        f"WHERE history_id < {h_offset}"
    )


def _reset_sequence(cursor, table):
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', '{_pk(table)}'), "
        f"(SELECT coalesce(max({_pk(table)}), 1) FROM {table}))"  # noqa: S608
    )


def _pk(table):
    return "history_id" if "_historical" in table else "id"


# ------------------------------------------------------------------------------------------
# The server and the clients
# ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with DEBUG=0 on the data set's database, its static files collected."""

    def __init__(self, url, workers):
        self.port = free_port()
        self.static = Path(tempfile.mkdtemp(prefix="casework-bench-static-"))
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "COMPLAINT_IDENTITY_KEY": os.environ.get("COMPLAINT_IDENTITY_KEY", "bench-" + "k" * 40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(self.static),
            "LOG_LEVEL": "WARNING",
        }
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        gunicorn = Path(python).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "casework.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        for _ in range(100):
            try:
                Client(self.port).get("/api/v1/health")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def memory_mb(self) -> float:
        """Resident memory of the workers (children of the arbiter), in MB."""
        total = 0
        out = subprocess.run(
            ["ps", "--ppid", str(self.process.pid), "-o", "rss="],
            capture_output=True,
            text=True,
        ).stdout
        for line in out.split():
            total += int(line)
        return round(total / 1024, 1)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        shutil.rmtree(self.static, ignore_errors=True)


class Client:
    """One keep-alive HTTP connection with a session or a token."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.token = None

    def _headers(self, extra=None):
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        headers.update(extra or {})
        return headers

    def request(self, method, path, body=None, headers=None):
        try:
            self.connection.request(method, path, body=body, headers=self._headers(headers))
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request(method, path, body=body, headers=self._headers(headers))
            response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def get(self, path):
        return self.request("GET", path)

    def sign_in(self, username):
        status, page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"},
        )
        assert status == 302, f"{username} could not sign in ({status})"
        status, data = self.request(
            "POST",
            "/api/v1/auth/token",
            json.dumps({"username": username, "password": PASSWORD}),
            {"Content-Type": "application/json"},
        )
        assert status == 200, f"{username}: no token ({status})"
        self.api_token = json.loads(data)["token"]
        return self


# ------------------------------------------------------------------------------------------
# What is measured
# ------------------------------------------------------------------------------------------


def pages(sample) -> list[tuple[str, str, str]]:
    """(name, role, path) of every page and list measured."""
    case, complaint, process, task = sample
    return [
        ("GET /api/v1/health", "secretariat", "/api/v1/health"),
        ("GET /api/v1/accountability-cases", "secretariat", "/api/v1/accountability-cases"),
        (
            "GET /api/v1/accountability-cases/<id>",
            "secretariat",
            f"/api/v1/accountability-cases/{case}",
        ),
        ("GET /api/v1/deadlines?level=red", "secretariat", "/api/v1/deadlines?level=red"),
        ("GET /api/v1/complaints", "complaints", "/api/v1/complaints"),
        ("/workflow/inbox/", "secretariat", "/workflow/inbox/"),
        ("/workflow/queue/", "secretariat", "/workflow/queue/"),
        ("/workflow/archive/", "secretariat", "/workflow/archive/"),
        ("/accountability/ (case list)", "secretariat", "/accountability/"),
        ("/accountability/<id>/ (case page)", "secretariat", f"/accountability/{case}/"),
        ("/complaints/staff/ (list)", "complaints", "/complaints/staff/"),
        ("/complaints/staff/<id>/ (page)", "complaints", f"/complaints/staff/{complaint}/"),
        ("/deadlines/ (my deadlines)", "investigator", "/deadlines/"),
        ("/deadlines/board/", "investigator", "/deadlines/board/"),
        ("/workspace/search/ (search)", "secretariat", "/workspace/search/?q=%E6%95%99%E8%82%B2"),
        ("/workspace/dashboard/", "mayor", "/workspace/dashboard/"),
        # The engine's own lists are the administrators' alone.
        ("viewflow task list", "admin", "/workflow/flows/accountability/tasks/"),
        ("viewflow process list", "admin", "/workflow/flows/accountability/flows/"),
        ("viewflow flow dashboard", "admin", "/workflow/flows/accountability/"),
        ("task screen", "secretariat", task),
    ]


def sample_objects():
    """A case, a complaint and an open task of the secretariat's, for the pages that show one."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM accountability_accountabilitycase")
        case = cursor.fetchone()[0]
        cursor.execute("SELECT max(id) FROM complaints_complaint")
        complaint = cursor.fetchone()[0]
        cursor.execute(
            "SELECT t.process_id, t.id, t.flow_task FROM viewflow_task t "
            "WHERE t.status = 'NEW' AND t.owner_permission = 'accountability.act_as_secretariat' "
            "ORDER BY t.id DESC LIMIT 1"
        )
        process, task, flow_task = cursor.fetchone()
    node = flow_task.rsplit(".", 1)[1]
    return (
        case,
        complaint,
        process,
        f"/workflow/flows/accountability/{process}/{node}/{task}/execute/",
    )


def measure_pages(port, plan, rounds, requests, clients):
    """{name: {"p50","p95"} median over rounds, in ms}, and the ratio to /health per round."""
    sessions = {}
    for _name, role, _path in plan:
        if role not in sessions:
            sessions[role] = [Client(port).sign_in(role) for _ in range(clients)]
    results = {name: {"p50": [], "p95": [], "ratio50": [], "ratio95": []} for name, _r, _p in plan}
    for _round in range(rounds):
        health = None
        for name, role, path in plan:
            api = path.startswith("/api/")
            times, failures = [], []
            lock = threading.Lock()
            per_client = max(1, requests // clients)

            def run(
                client,
                path=path,
                api=api,
                times=times,
                failures=failures,
                lock=lock,
                per_client=per_client,
            ):
                if api:
                    client.token = client.api_token
                for _ in range(per_client):
                    started = time.perf_counter()
                    status, _body = client.get(path)
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        if status != 200:
                            failures.append(f"{path}: {status}")
                        times.append(elapsed)
                client.token = None

            threads = [threading.Thread(target=run, args=(c,)) for c in sessions[role]]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if failures:
                raise SystemExit(f"{name}: {failures[0]}")
            times.sort()
            p50 = statistics.median(times)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            if health is None:
                health = (p50, p95)
            row = results[name]
            row["p50"].append(p50)
            row["p95"].append(p95)
            row["ratio50"].append(p50 / health[0])
            row["ratio95"].append(p95 / health[0])
    return {
        name: {key: round(statistics.median(values), 2) for key, values in row.items()}
        for name, row in results.items()
    }


def initiated_cases(limit):
    """Cases in ``initiated``, on which the mayor can take two steps back and forth."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM accountability_accountabilitycase WHERE state = 'initiated' "
            "ORDER BY id DESC LIMIT %s",
            [limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _step(client, pk, name):
    body = {"notes": "已听取汇报"} if name == "report_heard" else {}
    return client.request(
        "POST",
        f"/api/v1/accountability-cases/{pk}/transitions/{name}",
        json.dumps(body),
        {"Content-Type": "application/json"},
    )


def measure_transitions(port, cases, seconds, clients):
    """Transitions that go back and forth — ``order_report`` (a deadline and a numbered
    document) and ``report_heard`` (the deadline closed) — as the mayor: the latency one at a
    time (p50 of 30), then the transitions per second with ``clients`` clients, each on its
    own case, for ``seconds`` seconds."""
    assert len(cases) > clients, "not enough cases in 'initiated'"
    mayor = Client(port).sign_in("mayor")
    mayor.token = mayor.api_token
    latencies = []
    for i in range(30):
        name = "order_report" if i % 2 == 0 else "report_heard"
        started = time.perf_counter()
        status, body = _step(mayor, cases[0], name)
        latencies.append((time.perf_counter() - started) * 1000)
        assert status == 200, body[:300]
    lock = threading.Lock()
    done = [0]
    signed_in = []
    for _ in range(clients):
        client = Client(port).sign_in("mayor")
        client.token = client.api_token
        signed_in.append(client)
    deadline = time.perf_counter() + seconds

    def worker(pk, client):
        name = "order_report"
        while time.perf_counter() < deadline:
            status, body = _step(client, pk, name)
            assert status == 200, body[:300]
            name = "report_heard" if name == "order_report" else "order_report"
            with lock:
                done[0] += 1
        if name == "report_heard":  # leave the case as it was found
            _step(client, pk, name)

    threads = [
        threading.Thread(target=worker, args=(pk, client))
        for pk, client in zip(cases[1 : clients + 1], signed_in, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "latency_p50_ms": round(statistics.median(latencies), 1),
        "per_second": round(done[0] / elapsed, 1),
        "transitions": done[0],
    }


def pgbench_tps(url, clients, seconds):
    parsed = urllib.parse.urlparse(url)
    database = parsed.path.lstrip("/") + "_pgbench"
    base = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
    base += ["-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", *base, database], check=True, capture_output=True)
    subprocess.run(["createdb", *base, database], check=True, capture_output=True)
    subprocess.run(
        ["pgbench", "-i", "-q", "-s", "10", *base, database], check=True, capture_output=True
    )
    out = subprocess.run(
        ["pgbench", "-N", "-c", str(clients), "-j", "2", "-T", str(seconds), *base, database],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    subprocess.run(["dropdb", *base, database], check=True, capture_output=True)
    return float(re.search(r"tps = ([0-9.]+)", out).group(1))


# ------------------------------------------------------------------------------------------
# Reporting
# ------------------------------------------------------------------------------------------


def table(results: dict) -> str:
    sizes = list(results["sizes"])
    lines = [
        "| page | " + " | ".join(f"{s} p50× | {s} p95×" for s in sizes) + " | grows |",
        "|---|" + "---:|---:|" * len(sizes) + "---:|",
    ]
    names = list(results["sizes"][sizes[0]]["pages"])
    for name in names:
        cells, first, last = [], None, None
        for size in sizes:
            row = results["sizes"][size]["pages"][name]
            cells += [f"{row['ratio50']:.1f}×", f"{row['ratio95']:.1f}×"]
            first = first if first is not None else row["ratio50"]
            last = row["ratio50"]
        grows = f"{last / first:.2f}×" if first else "–"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {grows} |")
    lines.append("")
    for size in sizes:
        data = results["sizes"][size]
        t = data["transitions"]
        share = 100 * t["per_second"] / data["pgbench_tps"]
        lines.append(
            f"{size} cases: /health p50 {data['pages']['GET /api/v1/health']['p50']} ms; "
            f"transition p50 {t['latency_p50_ms']} ms "
            f"({t['latency_p50_ms'] / data['pages']['GET /api/v1/health']['p50']:.1f}× /health); "
            f"{t['per_second']} transitions/s = {share:.2f} % "
            f"of pgbench -N ({data['pgbench_tps']:.0f} TPS); worker memory "
            f"{data['memory_mb_before']} → {data['memory_mb_after']} MB; loaded {data['counts']}"
        )
    return "\n".join(lines)


def compare(before: dict, after: dict) -> str:
    lines = ["| page | size | before p50× | after p50× |", "|---|---:|---:|---:|"]
    for size, data in after["sizes"].items():
        old = before["sizes"].get(size, {}).get("pages", {})
        for name, row in data["pages"].items():
            was = old.get(name, {}).get("ratio50")
            lines.append(
                f"| {name} | {size} | {was if was is not None else '–'} | {row['ratio50']} |"
            )
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    if args.compare:
        before, after = (json.loads(p.read_text()) for p in args.compare)
        print(compare(before, after))
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point to PostgreSQL")
    base = url.rsplit("/", 1)
    results = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores {platform.machine()}",
        "sizes": {},
    }
    for size in (int(s) for s in args.sizes.split(",")):
        database_url = f"{base[0]}/{base[1]}_{size}"
        setup_django(database_url)
        from django.db import connections

        for connection in connections.all():
            connection.settings_dict["NAME"] = f"{base[1]}_{size}"
            connection.close()
        figures = load(size, args.reuse)
        print(f"{size}: loaded {figures}", flush=True)
        plan = pages(sample_objects())
        cases = initiated_cases(args.clients + 1)
        connections.close_all()
        server = Server(database_url, args.workers)
        try:
            memory_before = server.memory_mb()
            measured = measure_pages(server.port, plan, args.rounds, args.requests, args.clients)
            transitions = measure_transitions(server.port, cases, args.seconds, args.clients)
            memory_after = server.memory_mb()
        finally:
            server.stop()
        results["sizes"][size] = {
            "counts": figures,
            "pages": measured,
            "transitions": transitions,
            "pgbench_tps": pgbench_tps(url, args.clients, args.seconds),
            "memory_mb_before": memory_before,
            "memory_mb_after": memory_after,
        }
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
