"""HTML to tagged PDF. The only module that imports WeasyPrint.

Rendering never reaches the network or the file system beyond the project's bundled static files:
the URL fetcher serves `data:` URIs and files inside the static directories, and refuses everything
else. Every font used must be Liberation Sans (installed from Debian's fonts-liberation by
scripts/system-packages.sh); a PDF that fell back to another font is refused rather than shipped.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"
REPORT_FONT_FAMILY = "Liberation Sans"


class ReportRenderError(Exception):
    """The PDF could not be made; nothing was stored."""


class ReportFontMissing(ReportRenderError):
    """The report font is not installed, so the PDF would have used a fallback font."""


class FetchRefused(ValueError):
    """The report asked for a resource outside the bundled static files."""


def static_roots() -> list[Path]:
    """The project's bundled static directories, resolved, that reports may read from."""
    return [Path(directory).resolve() for directory in settings.STATICFILES_DIRS]


def static_base_url() -> str:
    """The base URL for report HTML: relative links resolve inside the first static directory."""
    return static_roots()[0].as_uri() + "/"


class SafeURLFetcher(URLFetcher):  # type: ignore[misc]
    """Deny by default: `data:` URIs and regular files inside the static directories, nothing else."""

    def __init__(self, roots: list[Path] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)
        self._roots = roots if roots is not None else static_roots()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Serve the URL if it is allowed; raise FetchRefused (WeasyPrint skips the resource) if not."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._allowed_path(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        self.refused.append(url[:200])
        logger.warning("Report rendering refused to fetch %s", url[:200])
        raise FetchRefused(f"Reports may not fetch {url[:200]}")

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(unquote(parts.path))).resolve()
        for root in self._roots:
            if path.is_relative_to(root) and path.is_file():
                return path
        return None


def _check_fonts(document: Any, pdf: Any) -> None:
    families = {
        font.family.decode(errors="replace") if isinstance(font.family, bytes) else str(font.family)
        for font in document.fonts.values()
    }
    unexpected = families - {REPORT_FONT_FAMILY}
    if unexpected:
        names = ", ".join(sorted(unexpected))
        raise ReportFontMissing(
            f"The PDF would use {names} instead of Liberation Sans. "
            "Install Debian's fonts-liberation (bash scripts/system-packages.sh)."
        )


def render_pdf(html: str, *, title: str) -> bytes:
    """Render report HTML to a tagged PDF/UA-1 document with this title; raise ReportRenderError on failure.

    Relative links in the HTML (the report stylesheet) resolve inside the bundled static files.
    """
    try:
        document = HTML(string=html, base_url=static_base_url(), url_fetcher=SafeURLFetcher())
        pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_check_fonts)
    except ReportRenderError:
        logger.exception("Report font check failed for %r", title)
        raise
    except Exception as error:
        logger.exception("Rendering the PDF %r failed", title)
        raise ReportRenderError(f"The PDF {title!r} could not be made.") from error
    return pdf
