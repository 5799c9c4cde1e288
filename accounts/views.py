from axes.utils import reset as reset_failed_sign_ins
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import queries, tokens
from accounts.forms import (
    NewTokenForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
    TokenForm,
)
from accounts.policy import roles_of
from core.forms import error_summary
from core.presenters import plural

# How long a password reset link works, in words.
RESET_LINK_LIFETIME = {"link_lifetime": plural(settings.PASSWORD_RESET_TIMEOUT // 3600, "hour")}


class ErrorSummaryMixin:
    """Puts the form's errors in the layout's error summary."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        if form is not None:
            context["error_summary"] = error_summary(form)
        return context


class LoginView(ErrorSummaryMixin, auth_views.LoginView):
    template_name = "accounts/login.jinja"
    form_class = SignInForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def logout(request):
    if not request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST":
        auth_logout(request)
        messages.success(request, "You have signed out.")
        response = redirect("home")
        response.delete_cookie(
            settings.ANSWERING_AS_COOKIE, path=reverse("assessments:index"), samesite="Strict"
        )
        return response
    return render(request, "accounts/logout.jinja")


def locked_out(request, original_response=None, credentials=None):
    return render(
        request,
        "accounts/locked_out.jinja",
        {"failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


class PasswordResetView(ErrorSummaryMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.jinja"
    form_class = PasswordResetForm
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    extra_email_context = RESET_LINK_LIFETIME
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.jinja"
    extra_context = RESET_LINK_LIFETIME


class PasswordResetConfirmView(ErrorSummaryMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.jinja"
    form_class = SetPasswordForm
    extra_context = RESET_LINK_LIFETIME
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's email may sign in again at once,
        # rather than wait out a lockout.
        reset_failed_sign_ins(username=form.user.username)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.jinja"


class PasswordChangeView(ErrorSummaryMixin, SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.jinja"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:account")
    success_message = "Your password has been changed."


def _account_page(request, token_form):
    return render(
        request,
        "accounts/account.jinja",
        {
            "roles": roles_of(request.user),
            "tokens": queries.tokens_of(request.user),
            "token_form": token_form,
            "error_summary": error_summary(token_form),
        },
    )


@login_required
def account(request):
    return _account_page(request, TokenForm(initial={"scope": "read"}))


@never_cache
@login_required
@require_POST
def create_token(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form)
    api_token, secret = tokens.create(user=request.user, **form.cleaned_data)
    # The secret is shown in this response and nowhere else, so there is no
    # redirect: it is never stored, not even in the session.
    return render(
        request,
        "accounts/token_created.jinja",
        {"api_token": api_token, "form": NewTokenForm(api_token=api_token, secret=secret)},
    )


@login_required
@require_POST
def revoke_token(request, token_id):
    api_token = tokens.revoke(api_token=queries.token_of(request.user, token_id), by=request.user)
    messages.success(request, f"The token “{api_token.name}” has been revoked. It no longer works.")
    return redirect("accounts:account")
