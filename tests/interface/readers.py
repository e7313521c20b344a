"""A client system that reads the event feed, for the tests of any procedure's events."""

from django.core.cache import cache
from rest_framework.test import APIClient

from casework.interface.models import ClientSystem


def reader(*scopes, name):
    """An API client holding a new client system's key with ``scopes`` (rate limits fresh)."""
    cache.clear()
    client = ClientSystem(name=name, scopes=list(scopes))
    key = client.issue_key()
    client.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def events(api):
    """The feed's first page as ``api`` reads it."""
    response = api.get("/api/v1/events")
    assert response.status_code == 200, response.content
    return response.json()["results"]
