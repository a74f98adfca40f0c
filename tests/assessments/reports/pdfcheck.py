"""Reading PDFs back for the report tests."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in read(pdf).pages]


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in read(pdf).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {}) or {}
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def has_attachments(pdf: bytes) -> bool:
    reader = read(pdf)
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        return True
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                return True
    return b"/EmbeddedFile" in pdf or b"/FileAttachment" in pdf


def structure(pdf: bytes) -> list[tuple[str, str]]:
    """(structure type, alternative text) for every element of the tag tree."""
    found: list[tuple[str, str]] = []
    seen: set[int] = set()

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get") or id(node) in seen:
            return
        seen.add(id(node))
        if "/S" in node:
            found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        if "/K" in node:
            walk(node["/K"])

    root: Any = read(pdf).trailer["/Root"]
    walk(root["/StructTreeRoot"])
    return found
