"""Web pages of early warning and correction (预警纠错, Xinxiang warning art. 5–9), one
module per concern: my deadlines and how each was computed (``mine``), extensions, the
warning board and its exports, preliminary investigations, admonition letters, the bell.

They read through ``queries`` and act only through the deadlines app's services; who may
open a page, and the words of a refusal, come from ``rules`` and the services, never from
the page or its template.
"""
