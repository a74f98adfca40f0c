"""The Nu HTML Checker over every page the browser tests open, as the live server sent it.

The live server runs in the test process, so the HTML is caught on its way out (a WSGI wrapper around
the live server's application): exactly the bytes the browser received, complete before the browser
has the page, whatever the test did to get there (a link, a form, a redirect). Every page goes to a
file in test-artifacts/served-html/, and at the end of the session one run of vnu.jar (the
`vnu-jar` npm package, installed from tests/tools/package.json) checks them all: starting Java costs
seconds, checking a page a few milliseconds. Errors fail the run; warnings are allowed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from msoic.settings.env import BASE_DIR

VNU_JAR = BASE_DIR / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = (
    "Install it with: bash scripts/system-packages.sh --with-browser (Java) and "
    "npm ci --prefix tests/tools --ignore-scripts (vnu.jar); `make pytest` does both."
)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class ServedPage:
    """One HTML page the live server sent: which test asked for it, how, and where it was saved."""

    test: str
    method: str
    address: str
    status: int
    file: Path


class ServedHtml:
    """Keeps every HTML page the live server sends, then checks them all with vnu.jar at once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pages: list[ServedPage] = []
        self.current_test = "(no test)"
        self._lock = threading.Lock()
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    @staticmethod
    def missing_checker() -> str | None:
        """Why the checker cannot run on this machine, or None when it can."""
        if shutil.which("java") is None:
            return f"Java is missing; the browser tests check pages with the Nu HTML Checker. {INSTALL_HINT}"
        if not VNU_JAR.is_file():
            return f"{VNU_JAR} is missing. {INSTALL_HINT}"
        return None

    def wrap(self, app: WsgiApp) -> WsgiApp:
        """The live server's application, keeping a copy of each HTML page it answers with."""

        def recording(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            answered: dict[str, Any] = {}

            def keep_status(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
                answered["status"] = int(status.split(" ", 1)[0])
                answered["type"] = next((v for k, v in headers if k.lower() == "content-type"), "")
                return start_response(status, headers, *args)

            body = app(environ, keep_status)
            if not answered.get("type", "").startswith("text/html") or 300 <= answered["status"] < 400:
                return body
            query = environ.get("QUERY_STRING", "")
            address = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
            return self._kept(
                body, method=environ.get("REQUEST_METHOD", ""), address=address, status=answered["status"]
            )

        return recording

    def _kept(self, body: Iterable[bytes], *, method: str, address: str, status: int) -> Iterator[bytes]:
        chunks = []
        try:
            for chunk in body:
                chunks.append(chunk)
                yield chunk
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        with self._lock:
            file = self.folder / f"{len(self.pages) + 1:05d}.html"
            file.write_bytes(b"".join(chunks))
            self.pages.append(ServedPage(self.current_test, method, address, status, file))

    def problems(self) -> list[str]:
        """Every error the Nu HTML Checker finds in the pages kept, one line each with where it was."""
        if not self.pages:
            return []
        by_name = {page.file.name: page for page in self.pages}
        run = subprocess.run(  # noqa: S603 - a fixed command over files this module wrote
            [
                "java",
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                "--stdout",
                "--exit-zero-always",
            ]
            + [str(page.file) for page in self.pages],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            messages = json.loads(run.stdout)["messages"]
        except (ValueError, KeyError):
            return [f"vnu.jar did not answer with its report (exit {run.returncode}): {run.stderr[-2000:]}"]
        lines = []
        for message in messages:
            if message.get("type") not in ("error", "non-document-error"):
                continue
            page = by_name.get(str(message.get("url", "")).rsplit("/", 1)[-1])
            where = (
                f"{page.method} {page.address} ({page.status}, {page.test}, {page.file.name})"
                if page
                else message.get("url")
            )
            extract = " ".join(str(message.get("extract", "")).split())
            lines.append(f"{where} line {message.get('lastLine')}: {message.get('message')} [{extract}]")
        return lines
