from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "casework.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self):
        from casework.kernel.cache import create_cache_table

        # The table of the shared cache (the portal's limits), wherever ``migrate`` runs:
        # post_migrate is sent for each app with models, this one among them.
        post_migrate.connect(create_cache_table, sender=self)
