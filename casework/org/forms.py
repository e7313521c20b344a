from django.utils.translation import gettext_lazy as _
from viewflow.contrib.auth import AuthenticationForm


class LoginForm(AuthenticationForm):
    """The login form of the workspace, with the wrong-password message in plain Chinese."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入（区分大小写）。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }
