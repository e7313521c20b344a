"""People and organisation: departments, officials, roles, delegations of authority."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.audit.history import AddressedHistory

from .roles import Role


class User(AbstractUser):
    """A personal account (Liupanshui art. 11: accounts are personal, never shared)."""

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    history = HistoricalRecords(
        bases=[AddressedHistory], excluded_fields=["password", "last_login"]
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    @property
    def role_codes(self) -> set[str]:
        """The role codes of this person (cached per object; roles rarely change)."""
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.groups.values_list("name", flat=True))
        return self._role_codes

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(str(r) for r in roles))

    @property
    def role_names(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels[code]) for code in Role.values if code in self.role_codes]


class Department(models.Model):
    """A municipal government department (Nanchong art. 3) or a county government
    (Nanchong art. 21)."""

    class Kind(models.TextChoices):
        GENERAL_OFFICE = "general_office", _("市政府办公室")
        CONSTITUENT = "constituent", _("市政府组成部门")
        DIRECT = "direct", _("直属机构")
        COORDINATION = "coordination", _("议事协调机构")
        INSTITUTION = "institution", _("具有行政管理职能的直属事业单位")
        VERTICAL = "vertical", _("垂直管理部门")
        COUNTY = "county", _("县（市、区）人民政府")

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    short_name = models.CharField(_("简称"), max_length=16, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    # Nanchong art. 22: vertically managed departments get an accountability *proposal* to
    # their supervising organ instead of a decision.
    vertical = models.BooleanField(_("垂直管理"), default=False)
    supervising_organ = models.CharField(
        _("直接主管机关"), max_length=128, blank=True, help_text=_("垂直管理部门适用（第二十二条）")
    )
    active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Official(models.Model):
    """A person holding a post in a department, linked to a user account: the administrative
    head (行政首长, ``is_head``) who may be held accountable, or a member of its staff who
    handles the complaints transferred to the department."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="official",
    )
    name = models.CharField(_("姓名"), max_length=64)
    title = models.CharField(_("职务"), max_length=64)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="officials"
    )
    is_head = models.BooleanField(_("行政首长"), default=True)
    active = models.BooleanField(_("在任"), default=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("被问责对象（部门负责人）")
        verbose_name_plural = _("部门负责人")
        ordering = ["department__code", "name"]

    def __str__(self):
        return f"{self.name}（{self.title}）"

    @property
    def vertical(self) -> bool:
        return self.department.vertical


class Delegation(models.Model):
    """A recorded delegation of the mayor's authority.

    Nanchong art. 6: 市长委托的副市长、秘书长 may order the head to report in person, hear the
    report and charge the supervision bureau to investigate. Starting the procedure
    (Nanchong art. 5), sending the case to the executive meeting (Nanchong art. 6), deciding
    the modes (Nanchong art. 12) and the decisions on review (Nanchong art. 15, 16) stay with
    the mayor, whatever the scope.
    """

    class Scope(models.TextChoices):
        ACCOUNTABILITY = "accountability", _("问责程序中可委托的市长职权（第六条）")
        HEAR_REPORT = "hear_report", _("责成当面汇报、听取汇报并责成调查核实（第六条）")
        # Kept for the delegations recorded before: the decisions on review cannot be
        # delegated (Nanchong art. 15, 16), so this scope grants nothing in the procedure.
        REVIEW = "review", _("复核申请的决定（不可委托，第十五、十六条）")

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("委托人"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受托人"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    scope = models.CharField(_("委托事项"), max_length=32, choices=Scope.choices)
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("截止日期"), null=True, blank=True)
    basis = models.CharField(_("委托依据"), max_length=255, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("市长职权委托")
        verbose_name_plural = _("市长职权委托")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="delegation_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(delegator=models.F("delegate")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self):
        return f"{self.delegator} → {self.delegate}：{self.get_scope_display()}"

    def is_active_on(self, day) -> bool:
        if self.revoked_at is not None:
            return False
        if day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until

    @classmethod
    def active_for(cls, user, scope: str, day=None):
        """Delegations under which ``user`` may act for the mayor in ``scope`` on ``day``."""
        day = day or timezone.localdate()
        scopes = [scope, cls.Scope.ACCOUNTABILITY] if scope != cls.Scope.ACCOUNTABILITY else [scope]
        return cls.objects.filter(
            delegate=user,
            scope__in=scopes,
            revoked_at__isnull=True,
            valid_from__lte=day,
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
