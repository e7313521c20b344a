"""The unified data interface (Quzhou part 3 (1) and (3); Xinxiang e-supervision art. 5): the
systems that report to casework and read from it, what they send, and what casework tells
them.

* ``ClientSystem`` — another system, registered by an administrator: its own key (never a
  person's account), its scopes, its rate; every call it makes is a ``ClientCall``.
* ``Item`` and ``ItemEvent`` — an in-process item (在办事项) of a client system and the events
  it reported; the item's state and its ``Deadline`` are recomputed from its events.
* ``Event`` — every state change, card and document in casework, written in the transaction
  of the change (the transactional outbox), read as a feed (``GET /api/v1/events``) and
  pushed to ``WebhookEndpoint``\\ s, one ``Delivery`` per event and endpoint.
"""

import hashlib
import hmac
import secrets

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords

from casework.audit.history import AddressedHistory


class Scope(models.TextChoices):
    """What a client system may do. The ``events:`` scopes only choose which events it
    reads; no scope reveals more than the feed ever holds (never a complainant's identity,
    never a person's name)."""

    ITEMS_WRITE = "items:write", _("报送在办事项")
    EVENTS_ACCOUNTABILITY = "events:accountability", _("读取问责案件的状态变化和文书")
    EVENTS_COMPLAINTS = "events:complaints", _("读取投诉的状态变化（不含投诉人信息）")
    EVENTS_WARNINGS = "events:warnings", _("读取预警提示、黄牌、红牌和效能告诫书")
    EVENTS_ITEMS = "events:items", _("读取在办事项的状态变化")
    EVENTS_EVALUATION = "events:evaluation", _("读取月度绩效测评的步骤和通报")
    EVENTS_SUPERVISION = "events:supervision", _("读取督查督办事项的步骤和文书")


class Topic(models.TextChoices):
    """What an event is about; scope ``events:<topic>`` reads it."""

    ACCOUNTABILITY = "accountability", _("问责")
    COMPLAINTS = "complaints", _("投诉")
    WARNINGS = "warnings", _("预警纠错")
    ITEMS = "items", _("在办事项")
    EVALUATION = "evaluation", _("绩效测评")
    SUPERVISION = "supervision", _("督查督办")


KEY_PREFIX = "cw"


def _digest(secret: str) -> str:
    # The secret is 256 random bits: a plain SHA-256 is enough, and fast for every call.
    return hashlib.sha256(secret.encode()).hexdigest()


class ClientSystem(models.Model):
    """A system that reports to casework or reads from it (the service centre's approval
    system, a department's own system): registered by an administrator, with its own key."""

    name = models.CharField(_("系统名称"), max_length=128, unique=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    contact = models.CharField(_("联系人及电话"), max_length=128, blank=True)
    scopes = models.JSONField(_("权限范围"), default=list, blank=True)
    rate = models.CharField(
        _("调用频率上限"),
        max_length=16,
        blank=True,
        help_text=_("如 600/min；留空使用系统默认值"),
    )
    active = models.BooleanField(_("启用"), default=True)
    key_prefix = models.CharField(_("密钥前缀"), max_length=16, unique=True, editable=False)
    key_digest = models.CharField(max_length=64, editable=False)
    key_issued_at = models.DateTimeField(_("密钥签发时间"), null=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[AddressedHistory], excluded_fields=["key_digest"])

    class Meta:
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def issue_key(self) -> str:
        """A new key, shown once (only its digest is kept); the old one stops working."""
        prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        self.key_prefix, self.key_digest = prefix, _digest(secret)
        self.key_issued_at = timezone.now()
        return f"{KEY_PREFIX}_{prefix}_{secret}"

    def key_matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.key_digest, _digest(secret))

    @staticmethod
    def split_key(key: str) -> tuple[str, str] | None:
        """``cw_<prefix>_<secret>`` → (prefix, secret), or None."""
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
            return None
        return parts[1], parts[2]

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def topics(self) -> list[str]:
        """The topics of the events it reads."""
        return [
            scope.split(":", 1)[1]
            for scope in self.scopes or []
            if scope.startswith("events:") and scope.split(":", 1)[1] in Topic.values
        ]


class ClientCall(models.Model):
    """One call of a client system: who, what, when, the answer, how many events (Quzhou
    part 4 (2): the data exchanged is stable, secure and true — and traceable)."""

    client = models.ForeignKey(
        ClientSystem, verbose_name=_("接入系统"), on_delete=models.CASCADE, related_name="calls"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    method = models.CharField(_("方法"), max_length=8)
    path = models.CharField(_("路径"), max_length=255)
    status = models.PositiveSmallIntegerField(_("状态码"))
    count = models.PositiveIntegerField(_("事件数"), default=0)
    accepted = models.PositiveIntegerField(_("接收"), default=0)
    duplicates = models.PositiveIntegerField(_("重复"), default=0)
    refused = models.PositiveIntegerField(_("拒收"), default=0)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口调用记录")
        verbose_name_plural = _("接口调用记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.client} {self.method} {self.path} {self.status}"


class ItemState(models.TextChoices):
    RECEIVED = "received", _("已收件")
    ACCEPTED = "accepted", _("已受理，办理中")
    SUSPENDED = "suspended", _("补正中，暂停计时")
    DECIDED = "decided", _("已作出决定")
    COMPLETED = "completed", _("已办结")


class EventKind(models.TextChoices):
    """What a client system reports about an item, in the order of its life: on the same
    moment, an earlier kind is applied first."""

    RECEIVED = "received", _("收件")
    ACCEPTED = "accepted", _("受理")
    SUSPENDED = "suspended", _("补正（暂停计时）")
    RESUMED = "resumed", _("补正后恢复计时")
    DECIDED = "decided", _("作出决定")
    COMPLETED = "completed", _("办结")


class Item(models.Model):
    """An in-process item (在办事项) of a client system: its state and its deadline follow
    from the events reported about it (``casework.interface.items``)."""

    client = models.ForeignKey(
        ClientSystem, verbose_name=_("报送系统"), on_delete=models.PROTECT, related_name="items"
    )
    item_id = models.CharField(_("办件编号"), max_length=128)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    matter_type = models.CharField(_("事项类别"), max_length=128)
    promised_working_days = models.PositiveIntegerField(_("承诺时限（工作日）"))
    state = models.CharField(
        _("状态"), max_length=16, choices=ItemState.choices, default=ItemState.RECEIVED
    )
    received_at = models.DateTimeField(_("收件时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("补正暂停（工作日）"), default=0)
    last_event_at = models.DateTimeField(_("最近事件时间"), null=True, blank=True)
    deadline = models.OneToOneField(
        "deadlines.Deadline",
        verbose_name=_("期限"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interface_item",
    )
    created_at = models.DateTimeField(_("首次报送时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("在办事项")
        verbose_name_plural = _("在办事项")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "item_id"], name="one_item_per_client_id")
        ]

    def __str__(self):
        return f"{self.item_id} {self.matter_type}"


class ItemEvent(models.Model):
    """One event reported about an item, kept as sent: the item's state is recomputed from
    all of them in the order of ``at``, whatever the order they arrived in."""

    client = models.ForeignKey(
        ClientSystem, verbose_name=_("报送系统"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("在办事项"), on_delete=models.CASCADE, related_name="events"
    )
    idempotency_key = models.CharField(_("幂等键"), max_length=128)
    # A digest of what was sent under the key: the same key with other content is refused.
    digest = models.CharField(max_length=64)
    event = models.CharField(_("事件"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("发生时间"))
    matter_type = models.CharField(_("事项类别"), max_length=128)
    promised_working_days = models.PositiveIntegerField(_("承诺时限（工作日）"))
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        verbose_name = _("在办事项事件")
        verbose_name_plural = _("在办事项事件")
        ordering = ["item_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "idempotency_key"], name="one_event_per_idempotency_key"
            )
        ]
        indexes = [models.Index(fields=["item", "at"], name="item_event_order")]

    def __str__(self):
        return f"{self.item_id} {self.event} {self.at}"


class EventType(models.TextChoices):
    OPENED = "opened", _("登记")
    STATE_CHANGE = "state_change", _("状态变化")
    RECORDED = "recorded", _("办理记录")
    CARD = "card", _("预警")
    DOCUMENT = "document", _("文书")


class Event(models.Model):
    """An event of casework for other systems, inserted in the transaction of the change
    it reports (the outbox): committed with it, or not at all.

    ``txid`` is the PostgreSQL transaction that wrote it: the feed serves only events of
    transactions older than every transaction still running and orders them by
    (``txid``, ``id``), so that a reader never passes over an event committed late
    (``casework.interface.feed``). It is 0 on SQLite, whose writers take turns."""

    txid = models.BigIntegerField(default=0, editable=False)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    type = models.CharField(_("类型"), max_length=16, choices=EventType.choices)
    topic = models.CharField(_("主题"), max_length=16, choices=Topic.choices)
    object = models.CharField(_("对象"), max_length=64)
    data = models.JSONField(_("内容"), default=dict)

    class Meta:
        verbose_name = _("对外事件")
        verbose_name_plural = _("对外事件")
        ordering = ["txid", "id"]
        indexes = [models.Index(fields=["txid", "id"], name="event_feed_order")]

    def __str__(self):
        return f"{self.type} {self.object}"

    @property
    def cursor(self) -> str:
        return f"{self.txid}-{self.pk}"


class WebhookEndpoint(models.Model):
    """Where casework pushes the events a client system reads, signed with the endpoint's
    secret (HMAC-SHA256)."""

    client = models.ForeignKey(
        ClientSystem,
        verbose_name=_("接入系统"),
        on_delete=models.CASCADE,
        related_name="endpoints",
    )
    url = models.URLField(
        _("推送地址"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    secret = EncryptedCharField(_("签名密钥"), max_length=128, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[AddressedHistory], excluded_fields=["secret"])

    class Meta:
        verbose_name = _("推送地址")
        verbose_name_plural = _("推送地址")
        ordering = ["client", "id"]

    def __str__(self):
        return self.url

    def issue_secret(self) -> str:
        """A new signing secret, shown once to the administrator."""
        self.secret = secrets.token_urlsafe(32)
        return self.secret


class Delivery(models.Model):
    """One event to one endpoint, inserted with the event (the outbox); sent by a worker
    after the commit, again after a failure with back-off, until delivered or given up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待推送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("多次失败，已停止")

    event = models.ForeignKey(
        Event, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("推送地址"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    # When it may be sent (again): a worker sending it pushes this forward by the lease.
    next_attempt_at = models.DateTimeField(_("下次推送时间"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("最近推送时间"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["event_id", "endpoint_id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint")
        ]
        indexes = [
            models.Index(
                fields=["endpoint", "next_attempt_at"],
                name="delivery_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"
