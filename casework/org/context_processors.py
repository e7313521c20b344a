from django.conf import settings


def site(request):
    """The system's name, for pages outside viewflow's site (login, errors)."""
    return {"site_title": settings.CASEWORK_SITE_TITLE}
