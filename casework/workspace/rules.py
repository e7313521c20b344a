"""Who may open the workspace's tools. Pure checks, asked by the pages and the menu alike."""

import rules

from casework.org.roles import Role


def sees_dashboard(user) -> bool:
    """The dashboard of the whole city's work: the mayor (and a vice-mayor or secretary-general
    acting for him), the mayor's office (secretariat), the supervision bureau and its leader.
    Its figures count cases and complaints without naming anyone, but an organ sees only its
    own work (Liupanshui art. 12), so it is not for them."""
    return bool(
        user
        and user.is_authenticated
        and (
            user.is_superuser
            or user.has_role(
                Role.MAYOR,
                Role.VICE_MAYOR,
                Role.SECRETARIAT,
                Role.SUPERVISION,
                Role.SUPERVISION_LEADER,
            )
        )
    )


rules.add_perm("workspace.view_dashboard", rules.predicate(sees_dashboard))
