"""Two stores' answers compared as the API and the CLI's --json write them: the same bytes, keys and items
in the same order (the Neo4j and SQLite parity tests)."""
from __future__ import annotations

import json

from pydantic_core import to_jsonable_python


def answer_bytes(answer) -> bytes:
    """An answer as the API and the CLI's --json write it: the same order of keys and items."""
    return json.dumps(to_jsonable_python(answer), ensure_ascii=False).encode("utf-8")


def same(answer, expected, what=None) -> None:
    assert answer_bytes(answer) == answer_bytes(expected), what
