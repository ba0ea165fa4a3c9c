"""The interface every store implements. Stores answer a few primitive reads
with plain records; ``queries.service`` turns those into the named answers, so
every store answers every named query the same way."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

# keys of a pairing record (values None where the source gives nothing)
PAIRING_KEYS = ("id", "valid_from", "valid_to", "period_note", "place_as_written", "county_count",
                "prefecture_count", "source", "supporter", "place", "program", "excluding")


class Store(ABC):
    name = "store"

    @abstractmethod
    def pairings(self, *, places: list[str] | None = None, supporter: str | None = None) -> list[dict[str, Any]]:
        """Pairing records, optionally only those naming one of ``places`` or made by ``supporter``
        (node ids). Each has PAIRING_KEYS; supporter, place and program are node ids and
        ``excluding`` a sorted list of node ids. Sorted by id."""

    @abstractmethod
    def tasks(self, *, places: list[str] | None = None) -> list[dict[str, Any]]:
        """Task records (only those naming one of ``places`` when given) sorted by id: the Task's properties plus ``district`` (node id),
        ``document`` (node id), ``lead`` and ``responsible`` (lists of {unit, as_written,
        position, etc} sorted by position) and ``places`` (sorted node ids)."""

    @abstractmethod
    def units(self, *, ids: list[str] | None = None, owners: list[str] | None = None) -> list[dict[str, Any]]:
        """Unit records (only those among ``ids`` / owned by ``owners`` when given) sorted by id: the Unit's properties plus ``owner`` (node id) and
        ``duties`` (titles of its duties, sorted by number)."""

    @abstractmethod
    def nodes_of(self, label: str) -> list[dict[str, Any]]:
        """Properties of every node with this schema label, sorted by id."""

    @abstractmethod
    def edges_of(self, rel: str) -> list[tuple[str, str]]:
        """(start id, end id) of every relationship of this schema type, sorted."""

    @abstractmethod
    def nodes_by_id(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Properties (with ``label``) of the nodes among ``ids`` that exist."""

    @abstractmethod
    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type, each sorted by name."""

    @abstractmethod
    def document_ids(self) -> list[str]:
        """Ids of the source documents, sorted."""

    def close(self) -> None:  # pragma: no cover - nothing to release for in-process stores
        pass
