"""Roles are Django groups with permissions (Liupanshui art. 11: permissions by role).

The groups are created and given their permissions after every ``migrate`` so that a
production database has them without the demo data. Permissions of later apps are added by
name; a name that does not exist yet is skipped and picked up on the next migrate.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MAYOR = "mayor", _("市长")
    VICE_MAYOR = "vice_mayor", _("副市长 / 秘书长")
    SECRETARIAT = "secretariat", _("市政府办公室")
    SUPERVISION = "supervision", _("市监察局")
    SUPERVISION_LEADER = "supervision_leader", _("监察局分管领导")
    LEGAL_AFFAIRS = "legal_affairs", _("市政府法制办")
    COMPLAINTS_OFFICE = "complaints_office", _("效能投诉中心")
    COMPLAINTS_HEAD = "complaints_head", _("效能投诉中心负责人")
    # Handan supervision measures, section 3 (一)(5): the city government's own supervision
    # office (市政府督查室) and its head, who approves the registration of a matter (section 4).
    SUPERVISION_OFFICE = "supervision_office", _("市政府督查室")
    SUPERVISION_OFFICE_HEAD = "supervision_office_head", _("督查室主任")
    OFFICIAL = "official", _("部门行政首长")
    ADMINISTRATOR = "administrator", _("系统管理员")


# The city government's own staff of the accountability procedure, who see every case and
# every deadline (Liupanshui art. 12: anyone else sees only their own work items).
CITY_STAFF = (
    Role.MAYOR,
    Role.VICE_MAYOR,
    Role.SECRETARIAT,
    Role.SUPERVISION,
    Role.LEGAL_AFFAIRS,
    Role.ADMINISTRATOR,
)


# The model permissions each role holds ("app_label.codename"). The procedure rules in each
# app's rules.py decide what a person may do with a given case; these decide which screens
# of the admin and which lists a role can open at all.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.MAYOR: [
        "org.view_department",
        "org.view_official",
        "org.view_delegation",
        "org.add_delegation",
        "org.change_delegation",
    ],
    Role.VICE_MAYOR: ["org.view_department", "org.view_official", "org.view_delegation"],
    Role.SECRETARIAT: ["org.view_department", "org.view_official", "org.view_delegation"],
    Role.SUPERVISION: ["org.view_department", "org.view_official"],
    Role.SUPERVISION_LEADER: ["org.view_department", "org.view_official"],
    Role.LEGAL_AFFAIRS: ["org.view_department", "org.view_official"],
    Role.COMPLAINTS_OFFICE: ["org.view_department"],
    Role.COMPLAINTS_HEAD: ["org.view_department", "complaints.view_identity_log"],
    Role.SUPERVISION_OFFICE: ["org.view_department", "org.view_official"],
    Role.SUPERVISION_OFFICE_HEAD: ["org.view_department", "org.view_official"],
    Role.OFFICIAL: [],
    Role.ADMINISTRATOR: [
        "org.view_department",
        "org.add_department",
        "org.change_department",
        "org.view_official",
        "org.add_official",
        "org.change_official",
        "org.view_delegation",
        "org.add_delegation",
        "org.change_delegation",
        "org.view_user",
        "org.add_user",
        "org.change_user",
        "workcalendar.view_calendarday",
        "workcalendar.add_calendarday",
        "workcalendar.change_calendarday",
        "workcalendar.view_calendaryear",
        "workcalendar.add_calendaryear",
        "workcalendar.change_calendaryear",
        "deadlines.view_periodrule",
        "deadlines.change_periodrule",
        "deadlines.view_extensionrule",
        "deadlines.change_extensionrule",
        "deadlines.view_deadline",
        "documents.view_document",
        "accountability.view_accountabilitycase",
    ],
}


def sync_roles(using="default"):
    """Create every role's group and give it exactly its permissions. Idempotent."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, using="default", **kwargs):
    # post_migrate runs per app; ours is last in INSTALLED_APPS, so by now every other app's
    # permissions exist.
    sync_roles(using=using)
