from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "casework.org"
    label = "org"
    verbose_name = _("组织与人员")

    def ready(self):
        from . import roles

        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
