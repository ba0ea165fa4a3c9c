"""The interface every store implements. Stores answer a few primitive reads
with typed records (``schema.records``), each read taking its filters and
answering by lookup (adjacency in networkx, indexed ``MATCH`` in Neo4j), so a
named query's cost grows with its answer, not with the graph. ``queries.service``
turns records into the named answers, so every store answers every named
query the same way."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..schema.records import AgreementRecord, PairingRecord, TaskRecord, UnitRecord

if TYPE_CHECKING:
    from ..schema.graph import CanonicalGraph


class Store(ABC):
    name = "store"
    # True when what the store holds never changes while it is open (a loaded graph, a file written
    # once): what is made from its records may then be kept. A server's database can change under it.
    fixed = False
    # True when the store's reads are lookups in this process's memory (the loaded graph): answers made
    # in advance by ``AidGraph.warm`` then cost memory, not a read of every record over a connection
    in_memory = False

    @abstractmethod
    def pairings(self, *, places: Iterable[str] | None = None,
                 supporter: str | None = None) -> list[PairingRecord]:
        """Pairings naming one of ``places`` and/or made by ``supporter`` (node ids); all
        without filters. Sorted by id."""

    @abstractmethod
    def tasks(self, *, places: Iterable[str] | None = None, district: str | None = None,
              document: str | None = None, units: Iterable[str] | None = None,
              year: int | None = None) -> list[TaskRecord]:
        """Tasks matching every filter given: naming one of ``places``, set by ``district``,
        read from ``document``, led by or answered for by one of ``units`` (node ids), of
        ``year``. Sorted by id."""

    @abstractmethod
    def units(self, *, ids: Iterable[str] | None = None, owners: Iterable[str] | None = None,
              names: Iterable[str] | None = None) -> list[UnitRecord]:
        """Units among ``ids`` / owned by one of ``owners`` / whose canonical name or a name as
        written is one of ``names``. Sorted by id."""

    @abstractmethod
    def agreements(self, *, parties: Iterable[str] | None = None) -> list[AgreementRecord]:
        """Agreements, those with a party among ``parties`` (node ids) when given. Sorted by number."""

    @abstractmethod
    def nodes_of(self, label: str) -> list[dict[str, Any]]:
        """Properties of every node with this schema label, sorted by id."""

    @abstractmethod
    def edges_of(self, rel: str) -> list[tuple[str, str]]:
        """(start id, end id) of every relationship of this schema type, sorted."""

    @abstractmethod
    def nodes_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Properties (with ``label``) of the nodes among ``ids`` that exist."""

    @abstractmethod
    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type, each sorted by name."""

    @abstractmethod
    def neighbours(self, ids: Iterable[str]) -> set[str]:
        """Ids of the nodes one relationship (either way) from one of ``ids``."""

    @abstractmethod
    def subgraph(self, ids: Iterable[str]) -> CanonicalGraph:
        """The nodes among ``ids`` that exist and the relationships between them, as a canonical graph:
        what a subgraph, a picture or an export of part of the graph reads, without the rest of it."""

    def neighbourhood(self, centre: str, hops: int) -> set[str]:
        """Ids of the nodes within ``hops`` relationships of ``centre`` (either way), itself included:
        one read of ``neighbours`` per hop."""
        seen = {centre} if self.nodes_by_id([centre]) else set()
        frontier = set(seen)
        for _ in range(hops):
            frontier = self.neighbours(sorted(frontier)) - seen
            if not frontier:
                break
            seen |= frontier
        return seen

    @abstractmethod
    def texts(self) -> set[str]:
        """Every distinct text of the graph: the string values (and strings in list values) of the schema's
        node and relationship properties; what the pages' font must be able to show."""

    @abstractmethod
    def sources_citing(self, document: str) -> list[str]:
        """The ``source`` cells, one per node, that name ``document`` (a document key, ``doc#locator``
        or a later reference to it); sorted."""

    @abstractmethod
    def canonical(self) -> CanonicalGraph:
        """Everything the store holds as one canonical graph: what exports, subgraphs and
        SPARQL read, so they show the same version of the graph as the named queries."""

    def document_ids(self) -> list[str]:
        """Ids of the source documents, sorted."""
        return [d["id"] for d in self.nodes_of("Document")]

    def close(self) -> None:  # noqa: B027  pragma: no cover - a hook: in-process stores have nothing to release
        pass

    def warm(self) -> None:  # noqa: B027  a hook: a store that reads over a connection has nothing to build
        """Build now the indexes reads build on first use: ``serve`` calls it before forking its workers,
        so that they share them instead of each building (and writing into) its own."""


def strings_in(values: Iterable[Any]) -> list[str]:
    """The strings among ``values`` and inside list values: the texts of a node's or relationship's properties."""
    out: list[str] = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list):
            out += [x for x in v if isinstance(x, str)]
    return out
