"""The API's tokens in the admin: when each was last used; deleting one revokes it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from .authentication import activity_of

admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class ExpiringTokenAdmin(TokenAdmin):
    list_display = ("key", "user", "created", "last_used")
    list_select_related = ("user", "activity")

    @admin.display(description=_("最近使用时间"))
    def last_used(self, token):
        activity = activity_of(token)
        return activity.last_used_at if activity is not None else None
