import pytest


@pytest.fixture
def calendar_admin(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("calendar-admin", full_name="日历管理员")
