"""Forms for signing in, passwords and tokens, with messages in the NHS.UK
style: what went wrong and how to put it right."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from accounts.models import ApiToken

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
TOKEN_NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


class SignInForm(auth_forms.AuthenticationForm):
    # One message whichever was wrong, so that it never tells whether an
    # account exists.
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "username"})
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean(self):
        # Shown at the email address, where the error summary links to.
        try:
            return super().clean()
        except forms.ValidationError as refusal:
            self.add_error("username", refusal)
            return self.cleaned_data

    def clean_username(self):
        # Usernames are stored as lower-case email addresses.
        return self.cleaned_data["username"].strip().lower()


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter your email address", "invalid": EMAIL_FORMAT},
    )

    def get_users(self, email):
        # People added without a password (by `northstar createuser` or an
        # administrator) set their first one here, so unlike Django's default
        # an unusable password does not stop the email.
        return get_user_model().objects.filter(email__iexact=email, is_active=True)


class _NewPasswordRules:
    """A new password typed twice; the rules are checked against the first."""

    error_messages = {
        "password_mismatch": "The passwords do not match. Enter the same new password twice",
        "password_incorrect": "Your current password is not right. Enter it again",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = "New password", "Enter your new password again"
        first.error_messages["required"] = "Enter a new password"
        second.error_messages["required"] = "Enter your new password again"
        second.help_text = ""

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class SetPasswordForm(_NewPasswordRules, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(_NewPasswordRules, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"


class NewTokenForm(forms.Form):
    """A new token, shown once in a read-only field that is easy to copy."""

    token = forms.CharField(
        label="Token",
        widget=forms.TextInput(
            attrs={"readonly": True, "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *, api_token, secret):
        super().__init__(initial={"token": secret})
        self.fields[
            "token"
        ].help_text = f"{api_token.get_scope_display()}. Keep it secret, like a password."


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        help_text="So that you can recognise it later, for example “Monthly board report script”.",
        max_length=TOKEN_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": "Enter a name for the token",
            "max_length": f"Token name must be {TOKEN_NAME_MAX_LENGTH} characters or fewer",
        },
    )
    scope = forms.ChoiceField(
        label="What can this token do?",
        choices=ApiToken.Scope.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the token can do",
            "invalid_choice": "Select read only or read and write",
        },
    )
