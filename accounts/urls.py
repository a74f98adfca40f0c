"""Sign-in, sign-out, password reset and change, the second factor, and your account."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views
from accounts.forms import NewPasswordForm, ResetRequestForm, SignInForm

urlpatterns = [
    path("", views.account, name="account"),
    path("emails/", views.email_preference, name="email_preference"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/enrol/<str:token>/", views.two_factor_enrolment_link, name="two_factor_enrolment_link"),
    path(
        "two-factor/enrolment-link/",
        views.two_factor_enrolment_link_request,
        name="two_factor_enrolment_link_request",
    ),
    path(
        "two-factor/enrolment-link/sent/",
        views.two_factor_enrolment_link_sent,
        name="two_factor_enrolment_link_sent",
    ),
    path("recovery-codes/new/", views.recovery_codes_new, name="recovery_codes_new"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/changed/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=ResetRequestForm,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=NewPasswordForm,
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_complete",
    ),
]
