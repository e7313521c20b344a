"""``collectstatic`` for the workspace (README, "Deploying for real").

django-viewflow ships, beside the fonts, scripts and styles its pages load, copies of the npm
packages they were built from (``viewflow/**/node_modules/``). Nothing loads those copies, and
their stylesheets point at font files that were never shipped (``roboto-fontface.css`` →
``Roboto-Thin.woff2``), so ``ManifestStaticFilesStorage`` (WhiteNoise's, with ``DEBUG=0``)
refuses to hash them and ``collectstatic`` fails. This finder (``STATICFILES_FINDERS``) leaves
the ``node_modules`` folders out of what the apps' static files list, so that the manifest stays
strict for every file the pages use: a missing file of ours still fails the deployment.
"""

from django.contrib.staticfiles.finders import AppDirectoriesFinder


class WorkspaceAppDirectoriesFinder(AppDirectoriesFinder):
    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), "node_modules"])
