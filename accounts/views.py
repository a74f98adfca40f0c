"""Your account: second factor set-up and check, recovery codes, password change, and the signed-out page.

Changes people make to their own account (password, authenticator app, recovery codes) are account
events with the account as the actor, beside the changes administrators make (accounts/admin.py).
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import enrolment, second_factor
from accounts.enrolment import LinkCheck
from accounts.forms import (
    CODE_THROTTLED,
    CODE_WRONG,
    SETUP_CODE_WRONG,
    ChangePasswordForm,
    CodeForm,
    EmailPreferenceForm,
)
from accounts.mail import site_of
from accounts.models import AccountEvent, User
from accounts.second_factor import CodeCheck
from accounts.sessions import Expiry
from ops.logging import security_log

RECOVERY_CODES_LOW = 3
SETUP_HINT = "The 6-digit code your authenticator app shows for this service"
VERIFY_HINT = (
    "The 6-digit code from your authenticator app. If you do not have your phone, use a recovery code"
)


def _next_url(request: HttpRequest) -> str:
    """Where to go after this step: the `next` address if it is on this site, otherwise home."""
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _with_next(request: HttpRequest, url_name: str) -> HttpResponseRedirect:
    target = reverse(url_name)
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if next_url:
        target = f"{target}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return HttpResponseRedirect(target)


def _user_id(request: HttpRequest) -> int | None:
    pk = request.user.pk
    return pk if isinstance(pk, int) else None


def _refusal(form: CodeForm, result: CodeCheck, wrong: str) -> str:
    if result.locked_until is not None:
        seconds = max(1, math.ceil((result.locked_until - timezone.now()).total_seconds()))
        message = CODE_THROTTLED.format(wait="1 second" if seconds == 1 else f"{seconds} seconds")
    else:
        message = wrong
    form.refuse(message)
    return "second_factor_throttled" if result.locked_until is not None else "second_factor_failed"


def _show_recovery_codes(request: HttpRequest, codes: list[str], *, first_time: bool) -> HttpResponse:
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "first_time": first_time, "next_url": _next_url(request)},
    )


def _enrolment_link_needed(request: HttpRequest) -> HttpResponse:
    """The set-up page for someone with no valid enrolment link: how to get one, and no secret shown."""
    request.session.pop(enrolment.SESSION_KEY, None)
    context = {
        "may_request_link": _may_request_link(request),
        "lifetime": enrolment.ENROLMENT_LINK_LIFETIME,
    }
    return render(request, "accounts/two_factor_link_needed.html", context)


def _may_request_link(request: HttpRequest) -> bool:
    """People not required to have an app may email themselves a link; staff ask an administrator.

    For someone who does not need a second factor, the password alone already opens the account, so a
    link sent to their own mailbox asks no less than an administrator's would. For staff, the app is
    what stands between a stolen password and many forces' records: links come only when the account
    is made or reset, or when an administrator sends one.
    """
    user = request.user
    return not second_factor.needs_second_factor(user) and second_factor.confirmed_totp_device(user) is None


def two_factor_enrolment_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """Follow an enrolment link: if it is this person's newest, unused and unexpired, go on to set-up."""
    user = request.user
    if second_factor.confirmed_totp_device(user) is not None:
        return redirect("two_factor_verify")
    result = enrolment.link_check(user, token)
    if result is LinkCheck.VALID:
        enrolment.session_link_remember(request.session, token)
        return redirect("two_factor_setup")
    security_log.warning(
        "Enrolment link refused",
        extra={"event": f"enrolment_link_{result.value}", "user_id": _user_id(request)},
    )
    context = {
        "may_request_link": _may_request_link(request),
        "lifetime": enrolment.ENROLMENT_LINK_LIFETIME,
    }
    return render(request, "accounts/two_factor_link_refused.html", context)


@require_POST
def two_factor_enrolment_link_request(request: HttpRequest) -> HttpResponseBase:
    """Email yourself an enrolment link, if you are not required to have an app and have none yet."""
    user = request.user
    if not isinstance(user, User) or not _may_request_link(request):
        return redirect("two_factor_setup")
    enrolment.enrolment_link_send(
        user,
        actor=user,
        why="asked for from the account page",
        site=site_of(request),
    )
    return redirect("two_factor_enrolment_link_sent")


def two_factor_enrolment_link_sent(request: HttpRequest) -> HttpResponse:
    """Confirmation that an enrolment link is on its way."""
    context = {"lifetime": enrolment.ENROLMENT_LINK_LIFETIME}
    return render(request, "accounts/two_factor_link_sent.html", context)


def two_factor_setup(request: HttpRequest) -> HttpResponseBase:
    """Set up an authenticator app: scan the QR code (or type the secret), then enter the first code."""
    user = request.user
    if not isinstance(user, User) or not second_factor.may_set_up_second_factor(user):
        return redirect("home")
    if second_factor.confirmed_totp_device(user) is not None:
        # Replacing an app needs the old one (or a recovery code) first; an administrator can reset it.
        return _with_next(request, "two_factor_verify")
    # The first app needs a one-time enrolment link as well as the password (accounts/enrolment.py).
    token = enrolment.session_link(request.session)
    if not token or enrolment.link_check(user, token) is not LinkCheck.VALID:
        return _enrolment_link_needed(request)
    device = second_factor.pending_totp_device(user)
    form = CodeForm(request.POST or None, button="Continue", hint=SETUP_HINT)
    if request.method == "POST" and form.is_valid():
        result = enrolment.enrol_with_link(
            user=user, token=token, device=device, code=form.cleaned_data["code"]
        )
        if result is None:
            return _enrolment_link_needed(request)
        if result.accepted and result.device is not None:
            request.session.pop(enrolment.SESSION_KEY, None)
            second_factor.mark_session_verified(request, result.device)
            request.session.cycle_key()
            codes = second_factor.recovery_codes_replace(user)
            security_log.info(
                "Second factor set up",
                extra={"event": "second_factor_enrolled", "user_id": _user_id(request)},
            )
            return _show_recovery_codes(request, codes, first_time=True)
        event = _refusal(form, result, SETUP_CODE_WRONG)
        security_log.warning(
            "Second factor set-up code refused", extra={"event": event, "user_id": _user_id(request)}
        )
    context = {
        "form": form,
        "qr_code": second_factor.qr_code_data_uri(device),
        "secret": second_factor.secret_for_manual_entry(device),
        "next": request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, ""),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def two_factor_verify(request: HttpRequest) -> HttpResponseBase:
    """Enter a code from the authenticator app, or a recovery code, once per session."""
    user = request.user
    if not second_factor.needs_second_factor(user):
        return redirect("home")
    if second_factor.is_verified(user):
        return HttpResponseRedirect(_next_url(request))
    if second_factor.confirmed_totp_device(user) is None:
        return _with_next(request, "two_factor_setup")
    form = CodeForm(request.POST or None, button="Continue", hint=VERIFY_HINT)
    if request.method == "POST" and form.is_valid():
        result = second_factor.code_check(user=user, code=form.cleaned_data["code"])
        if result.accepted and result.device is not None:
            second_factor.mark_session_verified(request, result.device)
            # A session that has just gained staff rights gets a new key, like a sign-in.
            request.session.cycle_key()
            security_log.info(
                "Second factor passed",
                extra={"event": f"second_factor_verified_{result.kind}", "user_id": _user_id(request)},
            )
            if result.kind == "recovery_code":
                left = second_factor.recovery_codes_left(user)
                level = messages.WARNING if left <= RECOVERY_CODES_LOW else messages.INFO
                messages.add_message(
                    request,
                    level,
                    f"You used a recovery code. You have {left} left. "
                    "Make new ones from your account page if you are running out.",
                )
            return HttpResponseRedirect(_next_url(request))
        event = _refusal(form, result, CODE_WRONG)
        security_log.warning(
            "Second factor code refused", extra={"event": event, "user_id": _user_id(request)}
        )
    context = {
        "form": form,
        "next": request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, ""),
    }
    return render(request, "accounts/two_factor_verify.html", context)


def account(request: HttpRequest) -> HttpResponse:
    """Your account: who you are, how you get emails, your password, and (staff) your recovery codes."""
    user = request.user
    staff = second_factor.needs_second_factor(user)
    context: dict[str, Any] = {
        "needs_second_factor": staff,
        # Offered to everyone: those not required to have one may still set one up.
        "offer_second_factor": not staff and second_factor.confirmed_totp_device(user) is None,
        "recovery_codes_left": second_factor.recovery_codes_left(user) if staff else None,
    }
    return render(request, "accounts/account.html", context)


def email_preference(request: HttpRequest) -> HttpResponse:
    """Choose single emails or a daily digest (notices that need action still come at once)."""
    form = EmailPreferenceForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save(commit=False).save(update_fields=["email_digest"])
        messages.success(request, "Your email choice has been saved.")
        return redirect("account")
    return render(request, "accounts/email_preference.html", {"form": form})


@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponseBase:
    """Replace a staff member's recovery codes and show the new ones once (the middleware has checked 2FA)."""
    user = request.user
    if not isinstance(user, User) or not second_factor.needs_second_factor(user):
        return redirect("account")
    if not second_factor.is_verified(user):
        return redirect("account")
    with transaction.atomic():
        codes = second_factor.recovery_codes_replace(user)
        AccountEvent.objects.create(account=user, actor=user, kind=AccountEvent.Kind.RECOVERY_CODES_REPLACED)
    security_log.info(
        "Recovery codes replaced", extra={"event": "recovery_codes_replaced", "user_id": _user_id(request)}
    )
    return _show_recovery_codes(request, codes, first_time=False)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change your password; this session carries on and every other session of yours ends."""

    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            AccountEvent.objects.create(
                account=form.user, actor=form.user, kind=AccountEvent.Kind.PASSWORD_CHANGED
            )
        security_log.info(
            "Password changed", extra={"event": "password_changed", "user_id": _user_id(self.request)}
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from an emailed reset link; the reset is an account event."""

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            AccountEvent.objects.create(
                account=form.user,
                actor=form.user,
                kind=AccountEvent.Kind.PASSWORD_RESET,
                detail="With a link sent to the account's email address",
            )
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    """Confirmation that the password changed."""

    template_name = "accounts/password_change_done.html"


@login_not_required
def signed_out(request: HttpRequest) -> HttpResponse:
    """Why the service signed you out (idle for 30 minutes, or 10 hours since signing in)."""
    reason = request.GET.get("reason")
    expiry = Expiry(reason) if reason in {choice.value for choice in Expiry} else None
    return render(request, "accounts/signed_out.html", {"expiry": expiry})
