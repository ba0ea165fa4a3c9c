"""Node ids both ways: ``<prefix>:<key>``. Places are keyed by their stable
division id (the current GB/T 2260 code), documents by their register id."""
from __future__ import annotations


def place_id(division: str) -> str:
    """``530800`` -> ``place:530800``."""
    return division if division.startswith("place:") else f"place:{division}"


def division_of(node_id: str) -> str:
    """``place:530800`` -> ``530800``."""
    if not node_id.startswith("place:"):
        raise ValueError(f"{node_id!r} is not a place id")
    return node_id[6:]


def doc_id(key: str) -> str:
    """``hfhbf-2021-14`` -> ``doc:hfhbf-2021-14``."""
    return key if key.startswith("doc:") else f"doc:{key}"


def doc_key(node_id: str) -> str:
    """``doc:hfhbf-2021-14`` -> ``hfhbf-2021-14``."""
    if not node_id.startswith("doc:"):
        raise ValueError(f"{node_id!r} is not a document id")
    return node_id[4:]
