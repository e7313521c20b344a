"""API tokens that expire and can be revoked.

A token not used for ``API_TOKEN_IDLE_TIMEOUT`` (12 hours unless configured) is expired and
deleted; its last use is written at most once every ``API_TOKEN_TOUCH_INTERVAL``, not on every
request. ``POST auth/token/revoke`` deletes the caller's token; so does an administrator in
the admin (令牌).

This module is DRF's authentication setting: it must not import DRF's views (which read that
setting when they are defined).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from .models import TokenActivity


def last_used(token, activity):
    """When the token was last used, to the minute: its creation if it never recorded a use."""
    return activity.last_used_at if activity is not None else token.created


def token_expired(token, activity, now) -> bool:
    return now - last_used(token, activity) > settings.API_TOKEN_IDLE_TIMEOUT


def touch(token, activity, now) -> None:
    """Record the token's use, at most once every ``API_TOKEN_TOUCH_INTERVAL``: one UPDATE of
    one row a minute per token, none on the other requests."""
    if now - last_used(token, activity) < settings.API_TOKEN_TOUCH_INTERVAL:
        return
    if activity is not None:
        TokenActivity.objects.filter(pk=token.pk).update(last_used_at=now)
    else:
        TokenActivity.objects.update_or_create(token=token, defaults={"last_used_at": now})


def activity_of(token):
    try:
        return token.activity
    except TokenActivity.DoesNotExist:
        return None


def issue_token(user):
    """The user's token for the API: the one they have, unless it expired (then a new one)."""
    now = timezone.now()
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expired(token, activity_of(token), now):
        token.delete()
        token = Token.objects.create(user=user)
    else:
        touch(token, activity_of(token), now)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused once the token has been idle too long."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user", "activity").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("令牌无效，请重新获取。")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该账号已停用，请联系系统管理员。"))
        now = timezone.now()
        activity = activity_of(token)
        if token_expired(token, activity, now):
            token.delete()
            hours = int(settings.API_TOKEN_IDLE_TIMEOUT.total_seconds() // 3600)
            raise exceptions.AuthenticationFailed(
                _("令牌已过期（超过 %(hours)s 小时未使用），请重新获取。") % {"hours": hours}
            )
        touch(token, activity, now)
        return (token.user, token)
