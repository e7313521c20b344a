"""The administrator's side of the interface: registering client systems and their webhook
endpoints (the key and the signing secret are shown once, when issued), and reading the
calls, the items, the events and the deliveries."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.throttling import SimpleRateThrottle

from casework.audit.readonly import HistoryAdmin

from .models import (
    ClientCall,
    ClientSystem,
    Delivery,
    Event,
    Item,
    ItemEvent,
    Scope,
    WebhookEndpoint,
)


class ClientSystemForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("权限范围"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ClientSystem
        fields = ["name", "department", "contact", "scopes", "rate", "active"]

    def clean_rate(self):
        rate = self.cleaned_data["rate"].strip()
        if rate:
            try:
                SimpleRateThrottle.parse_rate(None, rate)
            except (ValueError, KeyError, IndexError):
                raise forms.ValidationError(_("格式如 600/min、10/s、5000/h。")) from None
        return rate


def _show_once(request, what, value):
    messages.warning(
        request,
        _("%(what)s（只显示这一次，请立即交给对方系统的管理员妥善保存）：%(value)s")
        % {"what": what, "value": value},
    )


@admin.register(ClientSystem)
class ClientSystemAdmin(HistoryAdmin):
    form = ClientSystemForm
    list_display = ("name", "department", "scope_list", "rate", "active", "key_prefix")
    list_filter = ("active",)
    readonly_fields = ("key_prefix", "key_issued_at", "created_at")
    actions = ["issue_new_key"]

    @admin.display(description=gettext_lazy("权限范围"))
    def scope_list(self, obj):
        return "、".join(obj.scopes or [])

    def save_model(self, request, obj, form, change):
        key = obj.issue_key() if not change else None
        super().save_model(request, obj, form, change)
        if key:
            _show_once(request, _("接入密钥"), key)

    @admin.action(description=gettext_lazy("签发新密钥（旧密钥立即失效）"))
    def issue_new_key(self, request, queryset):
        for client in queryset:
            key = client.issue_key()
            client._change_reason = _("签发新密钥")
            client.save()
            _show_once(request, _("%(name)s 的新接入密钥") % {"name": client.name}, key)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(HistoryAdmin):
    list_display = ("url", "client", "active", "created_at")
    list_filter = ("active", "client")
    fields = ("client", "url", "active")
    actions = ["issue_new_secret"]

    def save_model(self, request, obj, form, change):
        secret = obj.issue_secret() if not change else None
        super().save_model(request, obj, form, change)
        if secret:
            _show_once(request, _("签名密钥"), secret)

    @admin.action(description=gettext_lazy("更换签名密钥"))
    def issue_new_secret(self, request, queryset):
        for endpoint in queryset:
            secret = endpoint.issue_secret()
            endpoint._change_reason = _("更换签名密钥")
            endpoint.save()
            _show_once(request, _("%(url)s 的新签名密钥") % {"url": endpoint.url}, secret)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClientCall)
class ClientCallAdmin(ReadOnly):
    list_display = ("at", "client", "method", "path", "status", "count", "refused", "duration_ms")
    list_filter = ("client", "status", "method")
    date_hierarchy = "at"


class ItemEventInline(admin.TabularInline):
    model = ItemEvent
    fields = (
        "at",
        "event",
        "idempotency_key",
        "matter_type",
        "promised_working_days",
        "received_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(ReadOnly):
    list_display = ("item_id", "client", "department", "matter_type", "state", "deadline")
    list_filter = ("state", "client", "department")
    search_fields = ("item_id",)
    list_select_related = ("client", "department", "deadline")
    inlines = [ItemEventInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ("id", "at", "type", "topic", "object")
    list_filter = ("type", "topic")
    search_fields = ("object",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = (
        "event",
        "endpoint",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status",
        "last_error",
        "delivered_at",
    )
    list_filter = ("status", "endpoint")
    list_select_related = ("event", "endpoint")
    actions = ["send_again"]

    @admin.action(description=gettext_lazy("重新推送"))
    def send_again(self, request, queryset):
        count = queryset.exclude(status=Delivery.Status.DELIVERED).update(
            status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, _("%(n)s 条推送将重新发送。") % {"n": count})
