"""What the API keeps of its own: when each token was last used (tokens expire when idle,
casework/api/authentication.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token


class TokenActivity(models.Model):
    token = models.OneToOneField(
        Token,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="activity",
        verbose_name=_("令牌"),
    )
    last_used_at = models.DateTimeField(_("最近使用时间"))

    class Meta:
        verbose_name = _("令牌使用记录")
        verbose_name_plural = _("令牌使用记录")

    def __str__(self):
        return f"{self.token.user} {self.last_used_at:%Y-%m-%d %H:%M}"
