"""``collectstatic`` for the workspace (README, "Deploying for real").

django-viewflow ships, beside the fonts, scripts and styles its pages load, copies of the npm
packages they were built from (``viewflow/**/node_modules/``). Nothing loads those copies, and
their stylesheets point at font files that were never shipped (``roboto-fontface.css`` →
``Roboto-Thin.woff2``), so ``ManifestStaticFilesStorage`` (WhiteNoise's, with ``DEBUG=0``)
refuses to hash them and ``collectstatic`` fails. Leaving the ``node_modules`` folders out of
the collection keeps the manifest strict for every file the pages use: a missing file of ours
still fails the deployment.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig


class WorkspaceStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules"]
