import pytest

from casework.org.models import User

from .samples import BODY, issue_document, register_case


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def case(people):
    return register_case(people)


@pytest.fixture
def issue(case, people):
    """issue(doc_type) → a document of that type on the case (``samples.issue_document``)."""
    return lambda doc_type, body=BODY: issue_document(case, people, doc_type, body)
