"""Signed, expiring, session-bound download links for stored signed-off reports.

The stable address of a signed-off PDF (assessments:force_report_pdf) checks who is asking on every
download, behind the whole signed-in middleware stack: sessions, the user, the second factor and four
permission queries, 15 times the cost of serving a static file of the same size. A signed-off version's
PDF never changes once stored, so a page that has just checked the user's permission links it instead
by a signed address, /reports/files/<token>/<file name>, the way storage services hand out presigned
URLs. SignedReportDownloadMiddleware answers that address straight after WhiteNoise, before sessions or
authentication: it checks the signature, the age and the session cookie, reads one number from the
user's row (their link epoch), reads the file and checks its SHA-256, and serves it.

The token (django.core.signing, its own salt, timestamped) carries where the file is stored and its
SHA-256, the download name, the stable address's parts, the user id and a fingerprint of the session
(an HMAC of the session key under the secret key, never the key itself).

The trade-off, stated plainly:

- Permission is checked when a link is issued (by the page showing it), not when it is used.
- A link works for REPORT_LINK_MAX_AGE_SECONDS (10 minutes by default) and only with the session cookie
  it was issued to: a leaked address on its own downloads nothing, and with the cookie as well it gives
  nothing the cookie did not already give.
- Signing out or losing a membership ends every link issued to that person at once: the fingerprint
  also covers the user's report_link_epoch, which both raise (accounts/sessions.py), and serving a link
  reads that one number (one query by primary key; an inactive account gets nothing). A session that
  merely times out is not looked up, so a copy of its cookie together with a link works until the link
  expires.
- An expired link, or one used in another session or without one, redirects to the stable address,
  which checks permission as always; a tampered or unknown token is a plain 404 and a security event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseRedirect,
)
from django.urls import NoReverseMatch, ResolverMatch, reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import content_disposition_header

from assessments.reports.storage import StoredFile, StoredReportCorrupt, stored_file_bytes
from ops.logging import security_log

SALT = "assessments.reports.downloads"
# The route of assessments:signed_report_file (reports/urls.py) and what the middleware answers.
SIGNED_REPORT_ROUTE = "reports/files/"
SIGNED_REPORT_PREFIX = f"/{SIGNED_REPORT_ROUTE}"
URL_NAME = "signed_report_file"
# As accounts.middleware.ResponseSecurityMiddleware leaves every download and page.
NO_STORE = "max-age=0, no-cache, no-store, private"
# Nothing here is a page: a PDF attachment, a redirect or a plain 404.
CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


@dataclass(frozen=True)
class ReportLink:
    """What a signed link says: which stored file to serve, as what, to which session, and where else."""

    stored: StoredFile
    file_name: str
    user_id: int
    session: str
    force_code: str
    round_id: int
    version: int

    def stable_url(self) -> str:
        """The permission-checked address of the same report."""
        return reverse(
            "assessments:force_report_pdf",
            kwargs={"force_code": self.force_code, "round_id": self.round_id, "version": self.version},
        )


def session_fingerprint(*, session_key: str, user_id: int, epoch: int) -> str:
    """A keyed hash of the session key, the user and their link epoch: matches one session, reveals neither.

    The epoch changes when the user signs out or loses a membership, so every earlier fingerprint stops
    matching at that moment.
    """
    digest = salted_hmac(f"{SALT}.session", f"{user_id}:{epoch}:{session_key}", algorithm="sha256")
    return digest.hexdigest()[:32]


def signed_report_url(
    *,
    stored: StoredFile,
    file_name: str,
    force_code: str,
    round_id: int,
    version: int,
    user_id: int,
    session_key: str,
    epoch: int,
) -> str:
    """A signed address for a stored report, for one user's session; only after checking permission."""
    payload = {
        "p": stored.name,
        "h": stored.sha256,
        "n": file_name,
        "u": user_id,
        "s": session_fingerprint(session_key=session_key, user_id=user_id, epoch=epoch),
        "f": force_code,
        "r": round_id,
        "v": version,
    }
    token = signing.dumps(payload, salt=SALT, compress=True)
    return reverse(f"assessments:{URL_NAME}", kwargs={"token": token, "file_name": file_name})


def report_download_url(
    request: HttpRequest | None,
    *,
    force_code: str,
    round_id: int,
    version: int,
    file_name: str,
    stored: StoredFile | None,
) -> str:
    """The address a page links for a signed-off version it has shown the user.

    Signed once the PDF is stored; until then (and without a session) the stable address, which says
    "Your report is being prepared" until the task worker has stored it. Call only where the user's
    permission has been checked.
    """
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    user = getattr(request, "user", None)
    user_id = getattr(user, "pk", None)
    epoch = getattr(user, "report_link_epoch", None)
    if stored is None or not session_key or not isinstance(user_id, int) or not isinstance(epoch, int):
        return reverse(
            "assessments:force_report_pdf",
            kwargs={"force_code": force_code, "round_id": round_id, "version": version},
        )
    return signed_report_url(
        stored=stored,
        file_name=file_name,
        force_code=force_code,
        round_id=round_id,
        version=version,
        user_id=user_id,
        session_key=session_key,
        epoch=epoch,
    )


def _current_epoch(user_id: int) -> int | None:
    """The link epoch of an active user, or None (no such user, or deactivated): one query by key."""
    epoch: int | None = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True)
        .values_list("report_link_epoch", flat=True)
        .first()
    )
    return epoch


def _text(payload: dict[str, Any], key: str) -> str | None:
    value = payload.get(key)
    return value if isinstance(value, str) and value else None


def _number(payload: dict[str, Any], key: str) -> int | None:
    value = payload.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _link_from(payload: Any) -> ReportLink | None:
    """The link a verified payload describes, or None if it is not one of ours."""
    if not isinstance(payload, dict):
        return None
    name, sha256, file_name = _text(payload, "p"), _text(payload, "h"), _text(payload, "n")
    session, force_code = _text(payload, "s"), _text(payload, "f")
    user_id, round_id, version = _number(payload, "u"), _number(payload, "r"), _number(payload, "v")
    if (
        name is None
        or sha256 is None
        or file_name is None
        or session is None
        or force_code is None
        or user_id is None
        or round_id is None
        or version is None
    ):
        return None
    return ReportLink(
        stored=StoredFile(name=name, sha256=sha256),
        file_name=file_name,
        user_id=user_id,
        session=session,
        force_code=force_code,
        round_id=round_id,
        version=version,
    )


def _hardened(response: HttpResponseBase) -> HttpResponseBase:
    # The layers that add these to other responses (CSP, ResponseSecurityMiddleware, X-Frame-Options)
    # sit below this one; SecurityMiddleware, above it, adds the rest.
    response["Cache-Control"] = NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "DENY"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def _not_found(reason: str) -> HttpResponseBase:
    security_log.warning(
        "Signed download link refused: %s", reason, extra={"event": "signed_download_tampered"}
    )
    return _hardened(HttpResponseNotFound("Not found", content_type="text/plain; charset=utf-8"))


def _to_stable(link: ReportLink) -> HttpResponseBase:
    try:
        location = link.stable_url()
    except NoReverseMatch:
        return _not_found("no stable address")
    return _hardened(HttpResponseRedirect(location))


def signed_report_response(request: HttpRequest) -> HttpResponseBase:
    """Answer a signed download address: the stored PDF, a redirect to the stable address, or a 404."""
    token, _, file_name = request.path_info[len(SIGNED_REPORT_PREFIX) :].partition("/")
    # Answered before URL resolution: say what resolution would have, so logs redact the token.
    request.resolver_match = ResolverMatch(
        signed_report_response,
        (),
        {"token": token, "file_name": file_name},
        url_name=URL_NAME,
        app_names=["assessments"],
        namespaces=["assessments"],
    )
    if request.method not in ("GET", "HEAD"):
        return _hardened(HttpResponseNotAllowed(["GET", "HEAD"]))
    if not token or not file_name or "/" in file_name:
        return _not_found("malformed address")
    max_age = settings.REPORT_LINK_MAX_AGE_SECONDS
    expired = False
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        # The signature is good, only old: read it again without the age limit to know where to go.
        expired = True
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError):
        return _not_found("bad signature")
    link = _link_from(payload)
    if link is None or not constant_time_compare(link.file_name, file_name):
        return _not_found("not a report link")
    if expired:
        return _to_stable(link)
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    epoch = _current_epoch(link.user_id) if session_key else None
    if (
        not session_key
        or epoch is None
        or not constant_time_compare(
            session_fingerprint(session_key=session_key, user_id=link.user_id, epoch=epoch), link.session
        )
    ):
        # user_id is the link's owner: whoever is asking is not known here, by design.
        security_log.info(
            "Signed download link used outside its session",
            extra={"event": "signed_download_other_session", "user_id": link.user_id},
        )
        return _to_stable(link)
    try:
        content = stored_file_bytes(link.stored)
    except StoredReportCorrupt:
        # Logged by the storage code; the stable address tells the user, as it always has.
        return _to_stable(link)
    # HEAD: the same headers and no body; the WSGI server is not relied on to drop it.
    response = HttpResponse(b"" if request.method == "HEAD" else content, content_type="application/pdf")
    response["Content-Length"] = str(len(content))
    response["Content-Disposition"] = content_disposition_header(True, link.file_name) or "attachment"
    return _hardened(response)


class SignedReportDownloadMiddleware:
    """Serve signed report links straight after WhiteNoise; pass every other request straight on.

    Placed before the content security policy, sessions, authentication and the second factor, so a
    repeat download costs a signature check, an HMAC and reading the file, not a signed-in page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(SIGNED_REPORT_PREFIX):
            return signed_report_response(request)
        return self.get_response(request)
