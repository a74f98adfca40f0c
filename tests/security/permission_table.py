"""The one permission table: every action of the site and the admin, per role and scope.

Rows are actions; each names its URL, the method, the state the assessments must be in, how to build
the address and the form body for a scope, and the expected outcome for every (role, scope):

    200, 302  allowed (a 302 must not lead to a sign-in page)
    403       in scope, but this role may not do it
    404       out of scope: exactly as if the object did not exist (docs/design.md "Who may do what")
    405       the method is refused whatever the object
    login     sent to a sign-in page (force roles never enter the admin)
    gone      the stock admin's "does not exist" redirect to the admin index

Scopes are seen from the user: "own force" is Cleveland (the SPOC's and chief officer's force, in the
coordinator's region), "same-region other force" is Durham, "other region" is Gwent in Wales. Region
pages use the force's region, so the first two columns are the coordinator's own region.

Adding a URL? Add an Action here (or, for a page with nothing to scope, an ALLOW_LIST entry with the
reason). tests/security/test_permission_table.py fails until every URL pattern is in one or the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from assessments.models import AssessmentEvent
from assessments.reports.data import report_file_name
from assessments.reports.downloads import signed_report_url
from assessments.reports.storage import StoredFile, stored_report_get_or_create
from assessments.spreadsheets import exports, offline
from tests.conftest import complete_values, form_post
from tests.security.helpers import FAR, NEIGHBOUR, OWN, SCOPES, Scene

Cells = dict[tuple[Role, str], str]
_ROW_NAMES = {
    "spoc": Role.SPOC,
    "chief": Role.CHIEF_OFFICER,
    "coordinator": Role.COORDINATOR,
    "national": Role.NATIONAL,
    "admin": Role.ADMINISTRATOR,
}


def grid(text: str) -> Cells:
    """Read a 5 x 3 block: one line per role, one column per scope (own, same region, other region)."""
    cells: Cells = {}
    for line in text.strip().splitlines():
        name, *outcomes = line.split()
        assert len(outcomes) == len(SCOPES), line
        for scope, outcome in zip(SCOPES, outcomes, strict=True):
            cells[(_ROW_NAMES[name], scope)] = outcome
    assert len(cells) == len(_ROW_NAMES) * len(SCOPES)
    return cells


@dataclass(frozen=True)
class Action:
    """One thing a user can try: an address, a method and a body, and who may do it where."""

    url_name: str
    method: str
    state: str  # draft | complete | submitted | signed_off: what the assessments are before the request
    url: Callable[[Scene, str], str]
    expect: Cells
    data: Callable[[Scene, str], dict[str, Any]] | None = None
    # The assessment's status after an allowed POST (checked by the mass-assignment test).
    status_after: str | None = None


# The design's "Who may do what", as grids. Reused where several actions share a rule.
VIEW = grid("""
    spoc        200 404 404
    chief       200 404 404
    coordinator 200 200 404
    national    200 200 200
    admin       200 200 200
""")
# A POST that everyone who may view the report may make (a draft PDF's "Try again").
VIEW_POST = grid("""
    spoc        302 404 404
    chief       302 404 404
    coordinator 302 302 404
    national    302 302 302
    admin       302 302 302
""")
SPOC_ONLY_GET = grid("""
    spoc        200 404 404
    chief       403 404 404
    coordinator 403 403 404
    national    403 403 403
    admin       403 403 403
""")
SPOC_ONLY_POST = grid("""
    spoc        302 404 404
    chief       403 404 404
    coordinator 403 403 404
    national    403 403 403
    admin       403 403 403
""")
REGION_VIEW = grid("""
    spoc        404 404 404
    chief       404 404 404
    coordinator 200 200 404
    national    200 200 200
    admin       200 200 200
""")
REGION_POST = grid("""
    spoc        404 404 404
    chief       404 404 404
    coordinator 302 302 404
    national    302 302 302
    admin       302 302 302
""")
NATIONAL_VIEW = grid("""
    spoc        404 404 404
    chief       404 404 404
    coordinator 404 404 404
    national    200 200 200
    admin       200 200 200
""")
NATIONAL_POST = grid("""
    spoc        404 404 404
    chief       404 404 404
    coordinator 404 404 404
    national    302 302 302
    admin       302 302 302
""")
PIPELINE_VIEW = grid("""
    spoc        404 404 404
    chief       404 404 404
    coordinator 200 200 200
    national    200 200 200
    admin       200 200 200
""")
ADMIN_PAGE = grid("""
    spoc        login login login
    chief       login login login
    coordinator 200   200   200
    national    200   200   200
    admin       200   200   200
""")
ADMIN_OBJECT_VIEW = grid("""
    spoc        login login login
    chief       login login login
    coordinator 200   200   gone
    national    200   200   200
    admin       200   200   200
""")
ADMIN_NOBODY = grid("""
    spoc        login login login
    chief       login login login
    coordinator 403   403   403
    national    403   403   403
    admin       403   403   403
""")
REVIEW_DECISION = grid("""
    spoc        login login login
    chief       login login login
    coordinator 302   302   404
    national    403   403   403
    admin       403   403   403
""")
REOPEN = grid("""
    spoc        login login login
    chief       login login login
    coordinator 403   403   404
    national    302   302   302
    admin       302   302   302
""")
REFERENCE_DATA_GET = grid("""
    spoc        login login login
    chief       login login login
    coordinator 403   403   403
    national    200   200   200
    admin       200   200   200
""")
REFERENCE_DATA_POST = grid("""
    spoc        login login login
    chief       login login login
    coordinator 403   403   403
    national    302   302   302
    admin       302   302   302
""")
# A signed link used by anyone but the session it was issued to: sent to the stable, checked address.
OTHER_SESSION = grid("""
    spoc        302 302 302
    chief       302 302 302
    coordinator 302 302 302
    national    302 302 302
    admin       302 302 302
""")
EXPORTS_PAGE = grid("""
    spoc        404 404 404
    chief       404 404 404
    coordinator 200 200 200
    national    200 200 200
    admin       200 200 200
""")


def _assessment_url(name: str) -> Callable[[Scene, str], str]:
    return lambda scene, scope: reverse(name, kwargs={"assessment_id": scene.assessment(scope).pk})


def _activity_url(name: str) -> Callable[[Scene, str], str]:
    return lambda scene, scope: reverse(
        name, kwargs={"assessment_id": scene.assessment(scope).pk, "code": "LG01"}
    )


def _force_url(name: str) -> Callable[[Scene, str], str]:
    return lambda scene, scope: reverse(name, kwargs={"force_code": scene.force(scope).code})


def _force_round_url(name: str, **extra: int) -> Callable[[Scene, str], str]:
    return lambda scene, scope: reverse(
        name, kwargs={"force_code": scene.force(scope).code, "round_id": scene.round.pk, **extra}
    )


def _region_url(name: str, query: str = "") -> Callable[[Scene, str], str]:
    return lambda scene, scope: reverse(name, kwargs={"region_slug": scene.region(scope).slug}) + query


def _plain_url(name: str) -> Callable[[Scene, str], str]:
    return lambda scene, scope: reverse(name)


def _admin_object_url(name: str) -> Callable[[Scene, str], str]:
    return lambda scene, scope: reverse(name, args=[scene.assessment(scope).pk])


def _pack_url(name: str, *, national: bool = False) -> Callable[[Scene, str], str]:
    return lambda scene, scope: reverse(name, kwargs={"pack_id": scene.pack(scope, national=national).pk})


def _signed_link_issued_elsewhere(scene: Scene, scope: str) -> str:
    """A signed link to the scope's stored signed-off PDF, as a page would issue it to someone else.

    Pages issue these links only after their own permission check, to the session that asked, so no
    request in this table (each from a fresh session) may be served by one.
    """
    assessment = scene.assessment(scope)
    stored = stored_report_get_or_create(
        assessment=assessment, snapshot=assessment.snapshots.get(version=assessment.version)
    )
    return signed_report_url(
        stored=StoredFile(name=stored.pdf.name, sha256=stored.sha256),
        file_name=report_file_name(
            force_code=assessment.force.code,
            round_name=scene.round.name,
            version=assessment.version,
            draft=False,
        ),
        force_code=assessment.force.code,
        round_id=scene.round.pk,
        version=assessment.version,
        user_id=scene.world.national.pk,
        session_key="a-session-of-the-national-user",
        epoch=scene.world.national.report_link_epoch,
    )


def _events_seen(scene: Scene, scope: str) -> int:
    return AssessmentEvent.objects.filter(assessment_id=scene.assessment(scope).pk).count()


def _open_action_url(scene: Scene, scope: str) -> str:
    """The close page of the scope's force's open action on LG02 (helpers.build_scene raises it)."""
    from assessments.models import ActivityReturn

    force = scene.force(scope)
    action_id = (
        ActivityReturn.objects.filter(
            assessment__round=scene.round, assessment__force_id=force.pk, activity__code="LG02"
        )
        .values_list("action_id", flat=True)
        .first()
    ) or 999999
    return reverse("assessments:action_close", kwargs={"force_code": force.code, "action_id": action_id})


def _edit_body(scene: Scene, scope: str) -> dict[str, Any]:
    return form_post(complete_values(), revision=0)


def _upload_body(scene: Scene, scope: str) -> dict[str, Any]:
    workbook = offline.return_workbook(assessment=scene.assessment(OWN))
    return {"spreadsheet": SimpleUploadedFile("return.xlsx", workbook, exports.XLSX_CONTENT_TYPE)}


def _sign_off_body(scene: Scene, scope: str) -> dict[str, Any]:
    return {"decision": "sign_off", "overall_comment": "Agreed", "events_seen": _events_seen(scene, scope)}


def _return_body(scene: Scene, scope: str) -> dict[str, Any]:
    return {
        "decision": "return",
        "overall_comment": "Please add the evidence",
        "changes_LG01": "on",
        "comment_LG01": "Name the policy",
        "events_seen": _events_seen(scene, scope),
    }


def _reopen_body(scene: Scene, scope: str) -> dict[str, Any]:
    return {"reason": "A correction to LG01", "events_seen": _events_seen(scene, scope)}


def _round_body(scene: Scene, scope: str) -> dict[str, Any]:
    return {
        "name": "2027-28 spring review",
        "plan": scene.round.plan_id,
        "opens_on": "2027-04-01",
        "due_on": "2027-06-30",
        "is_open": "on",
    }


def _round_body_for_pack(scene: Scene, scope: str) -> dict[str, Any]:
    return {"round": scene.round.pk}


TABLE: dict[str, Action] = {
    # --- a force's pages: view, edit, submit -------------------------------------------------------
    "view force home": Action(
        "assessments:force_home", "GET", "draft", _force_url("assessments:force_home"), VIEW
    ),
    "view force actions": Action(
        "assessments:force_actions", "GET", "draft", _force_url("assessments:force_actions"), VIEW
    ),
    "close an action": Action(
        "assessments:action_close",
        "POST",
        "draft",
        _open_action_url,
        SPOC_ONLY_POST,
        data=lambda scene, scope: {"how": "done", "note": "Delivered"},
        status_after="draft",
    ),
    "view task list": Action(
        "assessments:task_list", "GET", "draft", _assessment_url("assessments:task_list"), VIEW
    ),
    "view activity": Action(
        "assessments:activity", "GET", "draft", _activity_url("assessments:activity"), VIEW
    ),
    "edit activity": Action(
        "assessments:activity",
        "POST",
        "draft",
        _activity_url("assessments:activity"),
        SPOC_ONLY_POST,
        data=_edit_body,
        status_after="draft",
    ),
    "view activity history": Action(
        "assessments:return_history", "GET", "draft", _activity_url("assessments:return_history"), VIEW
    ),
    "view check answers": Action(
        "assessments:check_answers", "GET", "complete", _assessment_url("assessments:check_answers"), VIEW
    ),
    "submit": Action(
        "assessments:submit",
        "POST",
        "complete",
        _assessment_url("assessments:submit"),
        SPOC_ONLY_POST,
        data=lambda scene, scope: {"declaration": "on"},
        status_after="submitted",
    ),
    "view submitted": Action(
        "assessments:submitted", "GET", "submitted", _assessment_url("assessments:submitted"), VIEW
    ),
    # --- overviews ---------------------------------------------------------------------------------
    "view region overview": Action(
        "assessments:region_overview", "GET", "draft", _region_url("assessments:region_overview"), REGION_VIEW
    ),
    "view national overview": Action(
        "assessments:national_overview",
        "GET",
        "draft",
        _plain_url("assessments:national_overview"),
        NATIONAL_VIEW,
    ),
    # --- issue 17: the evidence-of-change rule and notable practice -----------------------------------
    "view force practice": Action(
        "assessments:force_practice", "GET", "submitted", _force_url("assessments:force_practice"), VIEW
    ),
    "view evidence rule": Action(
        "assessments:evidence_rule",
        "GET",
        "draft",
        lambda scene, scope: reverse("assessments:evidence_rule", kwargs={"round_id": scene.round.pk}),
        NATIONAL_VIEW,
    ),
    "view national practice": Action(
        "assessments:national_practice",
        "GET",
        "draft",
        _plain_url("assessments:national_practice"),
        NATIONAL_VIEW,
    ),
    "view pipeline": Action(
        "assessments:pipeline", "GET", "submitted", _plain_url("assessments:pipeline"), PIPELINE_VIEW
    ),
    "view region overdue actions": Action(
        "assessments:region_actions", "GET", "draft", _region_url("assessments:region_actions"), REGION_VIEW
    ),
    "view national overdue actions": Action(
        "assessments:national_actions",
        "GET",
        "draft",
        _plain_url("assessments:national_actions"),
        NATIONAL_VIEW,
    ),
    "view national benchmarks": Action(
        "assessments:national_benchmarks",
        "GET",
        "draft",
        _plain_url("assessments:national_benchmarks"),
        NATIONAL_VIEW,
    ),
    # --- spreadsheets: exports and the import of a return --------------------------------------------
    "export return": Action(
        "assessments:return_download", "GET", "draft", _assessment_url("assessments:return_download"), VIEW
    ),
    "import return: form": Action(
        "assessments:return_upload",
        "GET",
        "draft",
        _assessment_url("assessments:return_upload"),
        SPOC_ONLY_GET,
    ),
    "import return: upload": Action(
        "assessments:return_upload",
        "POST",
        "draft",
        _assessment_url("assessments:return_upload"),
        SPOC_ONLY_POST,
        data=_upload_body,
        status_after="draft",
    ),
    # Without an upload in the session the preview sends the SPOC back to the upload page (302).
    "import return: preview": Action(
        "assessments:return_upload_preview",
        "GET",
        "draft",
        _assessment_url("assessments:return_upload_preview"),
        SPOC_ONLY_POST,
    ),
    "import return: confirm": Action(
        "assessments:return_upload_preview",
        "POST",
        "draft",
        _assessment_url("assessments:return_upload_preview"),
        SPOC_ONLY_POST,
        data=lambda scene, scope: {"token": "not-the-one-in-the-session"},
        status_after="draft",
    ),
    "list exports": Action(
        "assessments:round_exports", "GET", "draft", _plain_url("assessments:round_exports"), EXPORTS_PAGE
    ),
    "export all forces": Action(
        "assessments:round_export",
        "GET",
        "draft",
        lambda scene, scope: reverse(
            "assessments:round_export", kwargs={"round_id": scene.round.pk, "file_format": "xlsx"}
        ),
        NATIONAL_VIEW,
    ),
    "export region": Action(
        "assessments:region_round_export",
        "GET",
        "draft",
        lambda scene, scope: reverse(
            "assessments:region_round_export",
            kwargs={
                "round_id": scene.round.pk,
                "region_slug": scene.region(scope).slug,
                "file_format": "csv",
            },
        ),
        REGION_VIEW,
    ),
    # --- reports -----------------------------------------------------------------------------------
    "force reports": Action(
        "assessments:force_reports", "GET", "draft", _force_url("assessments:force_reports"), VIEW
    ),
    "force report draft": Action(
        "assessments:force_report_draft",
        "GET",
        "draft",
        _force_round_url("assessments:force_report_draft"),
        VIEW,
    ),
    "force report draft PDF": Action(
        "assessments:force_report_draft_pdf",
        "GET",
        "draft",
        _force_round_url("assessments:force_report_draft_pdf"),
        VIEW,
    ),
    "force report draft PDF try again": Action(
        "assessments:force_report_draft_pdf_retry",
        "POST",
        "draft",
        _force_round_url("assessments:force_report_draft_pdf_retry"),
        VIEW_POST,
        data=lambda scene, scope: {"key": "0" * 64},
        status_after="draft",
    ),
    "force report signed off": Action(
        "assessments:force_report",
        "GET",
        "signed_off",
        _force_round_url("assessments:force_report", version=1),
        VIEW,
    ),
    "force report signed off PDF": Action(
        "assessments:force_report_pdf",
        "GET",
        "signed_off",
        _force_round_url("assessments:force_report_pdf", version=1),
        VIEW,
    ),
    # The pages that show a stored signed-off PDF link it by a signed address for the viewer's session
    # (who gets one, and that it serves them: tests/assessments/reports/signed_downloads/).
    "force report signed off PDF, signed link from another session": Action(
        "assessments:signed_report_file", "GET", "signed_off", _signed_link_issued_elsewhere, OTHER_SESSION
    ),
    "regional report": Action(
        "assessments:regional_report", "GET", "draft", _region_url("assessments:regional_report"), REGION_VIEW
    ),
    "regional report PDF": Action(
        "assessments:regional_report_pdf",
        "GET",
        "draft",
        _region_url("assessments:regional_report_pdf"),
        REGION_VIEW,
    ),
    "regional report pack": Action(
        "assessments:regional_report_pack",
        "POST",
        "draft",
        _region_url("assessments:regional_report_pack"),
        REGION_POST,
        data=_round_body_for_pack,
        status_after="draft",
    ),
    "national report": Action(
        "assessments:national_report",
        "GET",
        "draft",
        _plain_url("assessments:national_report"),
        NATIONAL_VIEW,
    ),
    "national report PDF": Action(
        "assessments:national_report_pdf",
        "GET",
        "draft",
        _plain_url("assessments:national_report_pdf"),
        NATIONAL_VIEW,
    ),
    "national report pack": Action(
        "assessments:national_report_pack",
        "POST",
        "draft",
        _plain_url("assessments:national_report_pack"),
        NATIONAL_POST,
        data=_round_body_for_pack,
        status_after="draft",
    ),
    "region report pack progress": Action(
        "assessments:report_pack", "GET", "draft", _pack_url("assessments:report_pack"), REGION_VIEW
    ),
    "region report pack download": Action(
        "assessments:report_pack_download",
        "GET",
        "draft",
        _pack_url("assessments:report_pack_download"),
        REGION_VIEW,
    ),
    "national report pack progress": Action(
        "assessments:report_pack",
        "GET",
        "draft",
        _pack_url("assessments:report_pack", national=True),
        NATIONAL_VIEW,
    ),
    "national report pack download": Action(
        "assessments:report_pack_download",
        "GET",
        "draft",
        _pack_url("assessments:report_pack_download", national=True),
        NATIONAL_VIEW,
    ),
    # --- the admin: review (comment, return, sign off), reopen, rounds, plan import and export -------
    "admin index": Action("admin:index", "GET", "draft", _plain_url("admin:index"), ADMIN_PAGE),
    "admin assessments list": Action(
        "admin:assessments_assessment_changelist",
        "GET",
        "submitted",
        _plain_url("admin:assessments_assessment_changelist"),
        ADMIN_PAGE,
    ),
    "admin assessment view": Action(
        "admin:assessments_assessment_change",
        "GET",
        "submitted",
        _admin_object_url("admin:assessments_assessment_change"),
        ADMIN_OBJECT_VIEW,
    ),
    "admin assessment history": Action(
        "admin:assessments_assessment_history",
        "GET",
        "submitted",
        _admin_object_url("admin:assessments_assessment_history"),
        ADMIN_OBJECT_VIEW,
    ),
    "admin assessment add": Action(
        "admin:assessments_assessment_add",
        "GET",
        "draft",
        _plain_url("admin:assessments_assessment_add"),
        ADMIN_NOBODY,
    ),
    "admin assessment delete": Action(
        "admin:assessments_assessment_delete",
        "POST",
        "submitted",
        _admin_object_url("admin:assessments_assessment_delete"),
        ADMIN_NOBODY,
        data=lambda scene, scope: {"post": "yes"},
    ),
    "review page": Action(
        "admin:assessments_assessment_review",
        "GET",
        "submitted",
        _admin_object_url("admin:assessments_assessment_review"),
        ADMIN_OBJECT_VIEW | {(Role.COORDINATOR, FAR): "404"},
    ),
    # Comments travel with the decision: the overall comment and one per activity marked for changes.
    "comment and return for changes": Action(
        "admin:assessments_assessment_review",
        "POST",
        "submitted",
        _admin_object_url("admin:assessments_assessment_review"),
        REVIEW_DECISION,
        data=_return_body,
        status_after="returned",
    ),
    "sign off": Action(
        "admin:assessments_assessment_review",
        "POST",
        "submitted",
        _admin_object_url("admin:assessments_assessment_review"),
        REVIEW_DECISION,
        data=_sign_off_body,
        status_after="signed_off",
    ),
    "reopen": Action(
        "admin:assessments_assessment_review",
        "POST",
        "signed_off",
        _admin_object_url("admin:assessments_assessment_review"),
        REOPEN,
        data=_reopen_body,
        status_after="draft",
    ),
    "open round: form": Action(
        "admin:assessments_round_add",
        "GET",
        "draft",
        _plain_url("admin:assessments_round_add"),
        REFERENCE_DATA_GET,
    ),
    "open round": Action(
        "admin:assessments_round_add",
        "POST",
        "draft",
        _plain_url("admin:assessments_round_add"),
        REFERENCE_DATA_POST,
        data=_round_body,
        status_after="draft",
    ),
    "import plan: form": Action(
        "admin:actionplan_activity_import",
        "GET",
        "draft",
        _plain_url("admin:actionplan_activity_import"),
        REFERENCE_DATA_GET,
    ),
    "import plan: confirm": Action(
        "admin:actionplan_activity_process_import",
        "POST",
        "draft",
        _plain_url("admin:actionplan_activity_process_import"),
        REFERENCE_DATA_GET
        | {(role, scope): "200" for role in (Role.NATIONAL, Role.ADMINISTRATOR) for scope in SCOPES},
        data=lambda scene, scope: {},
    ),
    "export plan": Action(
        "admin:actionplan_activity_export",
        "GET",
        "draft",
        _plain_url("admin:actionplan_activity_export"),
        REFERENCE_DATA_GET,
    ),
}

# URL patterns that are deliberately not in the table, each with the reason. Keys are URL names
# ("namespace:name") or, for unnamed patterns, the route.
ALLOW_LIST: dict[str, str] = {
    # Public or scope-free pages: nothing in them depends on force or region.
    "home": "the start page only lists the user's own places (tests/assessments/test_views.py)",
    "actionplan:plan": "the national action plan is the same for every signed-in user",
    "accessibility": "public page",
    "privacy": "public page",
    "ops:health": "load balancer health check, public by design (tests/ops/test_health.py)",
    # Sign-in flows: Django's own views, tested in tests/accounts/.
    "login": "sign-in flow",
    "logout": "sign-in flow",
    "password_reset": "sign-in flow",
    "password_reset_done": "sign-in flow",
    "password_reset_confirm": "sign-in flow (token, not an object id)",
    "password_reset_complete": "sign-in flow",
    "signed_out": "sign-in flow",
    # The signed-in person's own account and second factor: about themselves only, never another user.
    "account": "own account page",
    "password_change": "own password",
    "password_change_done": "own password",
    "two_factor_setup": "own second factor (tests/accounts/)",
    "two_factor_verify": "own second factor (tests/accounts/)",
    "recovery_codes_new": "own recovery codes (tests/accounts/)",
    "two_factor_enrolment_link": "own enrolment link, bound to the account (tests/accounts/)",
    "two_factor_enrolment_link_request": "emails a link to one's own address (tests/accounts/)",
    "two_factor_enrolment_link_sent": "own confirmation page (tests/accounts/)",
    "email_preference": "own choice of single emails or a digest (tests/accounts/test_email_preference.py)",
    # The admin's own pages, guarded by ServiceAdminSite.has_permission (tests/test_admin.py).
    "admin:login": "admin sign-in",
    "admin:logout": "admin sign-out",
    "admin:password_change": "admin sign-in flow",
    "admin:password_change_done": "admin sign-in flow",
    "admin:autocomplete": "stock admin; searches only models whose admin the user may view",
    "admin:jsi18n": "static translations",
    "admin:view_on_site": "no model has get_absolute_url, so it is always 404",
    "admin:app_list": "stock admin app index",
    "admin/(?P<url>.*)$": "the admin's catch-all: 404 or a redirect to add a slash",
}
# Stock admin pages of reference data, users, groups, tasks and the sign-in protection records.
# Reference data is readable by every admin role and editable only by national roles; users, sign-in
# records and second-factor devices by administrators only (tests/test_admin.py, tests/accounts/).
for _app, _model in (
    ("auth", "group"),
    ("accounts", "user"),
    ("actionplan", "actionplan"),
    ("actionplan", "processarea"),
    ("actionplan", "activity"),
    ("assessments", "region"),
    ("assessments", "force"),
    ("assessments", "round"),
    ("django_tasks_database", "dbtaskresult"),
    # Emails: task results as emails, administrators only (tests/assessments/test_admin_emails.py).
    ("accounts", "emaildelivery"),
    # The audit log of account changes: administrators read it, nobody edits it
    # (tests/accounts/test_account_privilege.py).
    ("accounts", "accountevent"),
    ("axes", "accessattempt"),
    ("axes", "accessfailurelog"),
    ("axes", "accesslog"),
    ("otp_static", "staticdevice"),
    ("otp_totp", "totpdevice"),
):
    for _view in ("changelist", "add", "history", "delete", "change"):
        ALLOW_LIST.setdefault(f"admin:{_app}_{_model}_{_view}", "stock admin page of a scope-free model")
    ALLOW_LIST[f"admin/{_app}/{_model}/<path:object_id>/"] = "stock redirect to the change page"
ALLOW_LIST["admin:auth_user_password_change"] = "administrators set passwords (tests/test_admin.py)"
ALLOW_LIST["admin:otp_totp_totpdevice_config"] = "django-otp device set-up, administrators only"
ALLOW_LIST["admin:otp_totp_totpdevice_qrcode"] = "django-otp device QR code, administrators only"
ALLOW_LIST["admin/assessments/assessment/<path:object_id>/"] = "stock redirect to the change page"
# Notable practice (issue 17). Published practice is the same for every signed-in user; the steps on one
# nomination need a nomination, which the sweep's scene does not make: tests/assessments/test_practice.py
# tries another force's id (404), a coordinator consenting (403) and a coordinator publishing (404).
ALLOW_LIST["assessments:practice_library"] = "published practice, the same for every signed-in user"
ALLOW_LIST["action-plan/"] = "the action plan with published practice counts, the same for everyone"
ALLOW_LIST["assessments:force_practice_item"] = "one nomination: tests/assessments/test_practice.py"
ALLOW_LIST["assessments:national_practice_step"] = "publish or withdraw: tests/assessments/test_practice.py"

# Roles with their own out-of-scope columns, for the IDOR sweep.
OUT_OF_SCOPE = {
    Role.SPOC: (NEIGHBOUR, FAR),
    Role.CHIEF_OFFICER: (NEIGHBOUR, FAR),
    Role.COORDINATOR: (FAR,),
}
