"""Sign-in and password forms laid out with GOV.UK components."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.template import loader

from accounts.mail import Email, queue_now
from accounts.models import User
from ops.logging import security_log

SIGN_IN_FAILED = (
    "Enter the email address and password for your account. If you have forgotten your password, "
    "reset it using the link below."
)
ACCOUNT_INACTIVE = "This account has been closed. Contact your regional coordinator or the national unit."
STRONG_CHOICE_HINT = (
    "Use at least 12 characters. A few unrelated words make a strong password that is "
    "easy to remember. Avoid common passwords."
)
CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"
SETUP_CODE_WRONG = "The code is not right. Check the time on your phone is correct and enter the newest code"
CODE_WRONG = "The code is not right. Enter the newest code from your authenticator app, or a recovery code"
CODE_THROTTLED = "You have entered too many wrong codes. Wait {wait}, then try again"


class SignInForm(AuthenticationForm):
    """Email address and password, with GOV.UK error messages."""

    error_messages = {"invalid_login": SIGN_IN_FAILED, "inactive": ACCOUNT_INACTIVE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"] = forms.EmailField(
            label="Email address",
            max_length=254,
            widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            error_messages={
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@force.police.uk",
            },
        )
        self.fields["password"].error_messages = {"required": "Enter your password"}
        self.helper = _fields_only_helper()
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Sign in"),
        )

    def clean_username(self) -> str:
        """Email addresses are stored in lower case; accept them typed in any case."""
        return str(self.cleaned_data["username"]).strip().lower()


class ResetRequestForm(PasswordResetForm):
    """Ask for a password reset link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@force.police.uk",
        }
        self.helper = _fields_only_helper()
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS), Button("submit", "Send reset link")
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Build the reset link on the configured base URL when there is one, never the Host header.

        Django takes the link's host from the request; in production SERVICE_BASE_URL is always set, so a
        forged Host header cannot put someone else's address in a reset email. In development (no base
        URL) the link uses the site the person was using, as Django would.
        """
        if settings.SERVICE_BASE_URL:
            scheme, _, host = settings.SERVICE_BASE_URL.partition("://")
            kwargs["domain_override"] = host.rstrip("/")
            kwargs["use_https"] = scheme == "https"
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Render the message exactly as Django does, then queue it for the task worker.

        Queued rather than sent inline so a slow mail server neither delays the page nor lets the
        response time tell whether the address has an account. The database backend stores the task
        in the request's own transaction, so no on_commit is needed. Always a single email: a reset link
        never waits for a digest.
        """
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        )
        queue_now([Email(subject=subject, body=body, to=(to_email,), html_body=html_body)])
        security_log.info(
            "Password reset link queued",
            extra={"event": "password_reset_queued", "user_id": context["user"].pk},
        )


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Choose a new password after following a reset link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = STRONG_CHOICE_HINT
        self.fields["new_password2"].label = "Confirm new password"
        self.helper = _fields_only_helper()
        self.helper.layout = Layout(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Save new password"),
        )


class ChangePasswordForm(PasswordChangeForm):
    """Change your password while signed in: the current one first, then the new one twice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = STRONG_CHOICE_HINT
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right. Enter it again",
            "password_mismatch": "The two new passwords do not match",
        }
        self.helper = _fields_only_helper()
        self.helper.layout = Layout(
            Field.text("old_password", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Change password"),
        )


class EmailPreferenceForm(forms.ModelForm):  # type: ignore[type-arg]
    """Single emails as things happen, or one daily digest: the choice on the account page."""

    email_digest = forms.TypedChoiceField(
        label="How do you want to get emails from the service?",
        choices=[("false", "Each email as it happens"), ("true", "One daily digest")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        help_text=(
            "The digest comes once a day, listing everything since the last one. Returns for changes, "
            "submissions waiting for your review and reopened assessments always come at once."
        ),
        error_messages={"required": "Select how you want to get emails"},
    )

    class Meta:
        model = User
        fields = ["email_digest"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["email_digest"] = "true" if self.instance.email_digest else "false"
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's own <form> holds it
        self.helper.layout = Layout(
            Field.radios("email_digest", legend_size=Size.LARGE, legend_tag="h1"), Button("submit", "Save")
        )


class CodeForm(forms.Form):
    """One code: from the authenticator app, or (when signing in) a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        error_messages={"required": CODE_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, button: str = "Continue", hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = hint
        self.helper = _fields_only_helper()
        self.helper.layout = Layout(Field.text("code", field_width=Fixed.TWENTY), Button("submit", button))

    def refuse(self, message: str) -> None:
        """Show why the code was not accepted, against the field, for the error summary."""
        self.add_error("code", message)


def _fields_only_helper() -> FormHelper:
    """A helper that lays out the fields and button but writes no <form> element of its own.

    Each account template writes the form itself, with its CSRF token, the hidden "next" address and
    novalidate; a second <form> from crispy inside it would be a nested form, which HTML forbids, and
    a second token beside the template's would only repeat it.
    """
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper
