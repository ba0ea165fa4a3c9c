"""The text of a held source document, for the document pages."""
from __future__ import annotations

from pathlib import Path

from .workpoints import decode


def source_text(root: Path, file: str | None) -> str | None:
    """The text of a held source document (``file``, a Document node's file under ``root``/sources), for
    the document pages; None for a document cited but not held, or a file that is not there."""
    if not file:
        return None
    sources = (Path(root) / "sources").resolve()
    path = (sources / file).resolve()
    if path.parent != sources or not path.is_file():
        return None
    try:
        return decode(path.read_bytes())
    except (OSError, ValueError):
        return None
