"""A bounded schemathesis run over the whole API: every operation of ``/api/v1/schema``, data
that fits the schema and data that does not, as several roles and without a login, over the
demo data (so that the ids in the paths name real cases, complaints and deadlines), with a
fixed seed. It fails on any 5xx and on any response that the schema does not describe: a
status not listed, a body not matching its component, a content type not declared.

A few minutes at most: ``EXAMPLES`` cases per operation and mode."""

import collections
import contextlib

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from casework.accountability.models import AccountabilityCase
from casework.complaints.models import Complaint
from casework.deadlines.models import (
    AdmonitionLetter,
    Deadline,
    Extension,
    Notification,
    PreliminaryInvestigation,
)
from casework.org.models import User

pytestmark = pytest.mark.django_db

SEED = 20261201
EXAMPLES = 20
ROLES = [None, "mayor", "secretariat", "complaints", "head_education", "supervision_leader"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# What a server puts in every request's environment (werkzeug's test client leaves it out).
CLIENT = {"REMOTE_ADDR": "203.0.113.10"}
TALLY = collections.Counter()


@contextlib.contextmanager
def one_connection():
    """The requests go straight to the WSGI application in this thread: keep Django from
    closing the test's connection (and its transaction) between them, as its test client
    does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def known_ids():
    """Ids that exist, by path: a generated id then names a real object some of the time."""
    return {
        "/api/v1/accountability-cases/": list(
            AccountabilityCase.objects.values_list("pk", flat=True)
        ),
        "/api/v1/complaints/": list(Complaint.objects.values_list("pk", flat=True)),
        "/api/v1/deadlines/": list(Deadline.objects.values_list("pk", flat=True)),
        "/api/v1/admonition-letters/": list(AdmonitionLetter.objects.values_list("pk", flat=True)),
        "/api/v1/preliminary-investigations/": list(
            PreliminaryInvestigation.objects.values_list("pk", flat=True)
        ),
        "/api/v1/notifications/": list(Notification.objects.values_list("pk", flat=True)),
        "ext": list(Extension.objects.values_list("pk", flat=True)),
        "code": list(Complaint.objects.values_list("tracking_code", flat=True)),
    }


def real_parameters(case, data, ids):
    """Replace the generated path parameters with those of real objects, half of the time."""
    for name in list(case.path_parameters or {}):
        if name in ("ext", "code"):
            pool = ids[name]
        elif name == "id":
            pool = next((v for k, v in ids.items() if case.path.startswith(k)), [])
        else:
            continue
        if pool and data.draw(st.booleans()):
            case.path_parameters[name] = data.draw(st.sampled_from(pool))


@pytest.fixture
def demo(db):
    call_command("demo", verbosity=0)


def test_every_operation_answers_within_its_schema(demo):
    from casework.wsgi import application

    with one_connection():
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", application)
    users = {role: User.objects.get(username=role) for role in ROLES if role}

    def token(role):
        """The role's token, again after ``auth/token/revoke`` deleted it."""
        return Token.objects.get_or_create(user=users[role])[0].key

    ids = known_ids()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 38

    with one_connection():
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @seed(SEED)
                @settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
                def run(case, data):
                    real_parameters(case, data, ids)
                    role = data.draw(st.sampled_from(ROLES))
                    headers = {"Authorization": f"Token {token(role)}"} if role else {}
                    response = case.call(headers=headers, environ_base=CLIENT)
                    TALLY["requests"] += 1
                    TALLY[f"{response.status_code // 100}xx"] += 1
                    case.validate_response(response, checks=CHECKS, headers=headers)

                try:
                    run()
                except Unsatisfiable:
                    # No input of the operation can break its schema (no parameter, no body).
                    assert mode == GenerationMode.NEGATIVE, operation.label
                    TALLY["nothing to negate"] += 1
    print(f"\nschemathesis: {dict(sorted(TALLY.items()))}")
    assert TALLY["5xx"] == 0


DEMO_ACCOUNTS = [
    "mayor",
    "vicemayor",
    "secretariat",
    "investigator",
    "supervision_leader",
    "legal",
    "complaints",
    "complaints_head",
    "head_education",
    "head_tax",
    "staff_education",
    "admin",
]


def test_every_demo_object_matches_its_schema_for_every_role(demo):
    """Every list, and every case, complaint and deadline of the demo data with its history,
    explanation and extensions, as every demo account: what each role really receives (the
    nulls of an open case, a redacted complaint) is what the schema says."""
    from casework.wsgi import application

    with one_connection():
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", application)
    ids = known_ids()
    by_path = {
        "{id}": {
            "/api/v1/accountability-cases/{id}": ids["/api/v1/accountability-cases/"],
            "/api/v1/accountability-cases/{id}/history": ids["/api/v1/accountability-cases/"],
            "/api/v1/complaints/{id}": ids["/api/v1/complaints/"],
            "/api/v1/complaints/{id}/history": ids["/api/v1/complaints/"],
            "/api/v1/deadlines/{id}/explanation": ids["/api/v1/deadlines/"],
            "/api/v1/deadlines/{id}/extensions": ids["/api/v1/deadlines/"],
        },
        "{code}": {"/api/v1/public/complaints/{code}": ids["code"]},
    }
    statuses = collections.Counter()
    with one_connection():
        for username in DEMO_ACCOUNTS:
            key = Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
            headers = {"Authorization": f"Token {key}"}
            for result in schema.get_all_operations():
                operation = result.ok()
                if operation.method.upper() != "GET":
                    continue
                cases = []
                if "{" not in operation.path:
                    cases.append(operation.Case())
                for name, paths in by_path.items():
                    for value in paths.get(operation.path, []):
                        cases.append(operation.Case(path_parameters={name.strip("{}"): value}))
                if operation.path == "/api/v1/complaints/{id}" and username == "complaints":
                    cases += [
                        operation.Case(path_parameters={"id": pk}, query={"reason": "核实"})
                        for pk in ids["/api/v1/complaints/"]
                    ]
                for case in cases:
                    response = case.call(headers=headers, environ_base=CLIENT)
                    statuses[response.status_code] += 1
                    case.validate_response(response, checks=CHECKS, headers=headers)
    print(f"\ncrawl: {dict(sorted(statuses.items()))}")
    assert statuses[200] > 500
