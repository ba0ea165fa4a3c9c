"""The graph's history: its import events (``ImportEvent`` nodes, made by ``loaders.import_events``
from the registers) with what each added and ended, read from the facts citing the documents it used;
and "what changed since the last import" (the last event). Answer models beside the question."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..schema.eras import period_text
from ..schema.labels import IMPORT_KIND_ZH
from ..schema.model import IMPORT_KINDS
from ..schema.sources import split_refs
from .results import Answer

if TYPE_CHECKING:
    from .service import AidGraph



class ImportedDocument(Answer):
    id: str
    number: str | None
    title: str


class ImportedPairing(Answer):
    supporter: str
    place: str
    place_code: str
    programme: str
    valid_from: int | None
    valid_to: int | None
    period: str = Field(description="the period as pages write it: 2021–至今")
    source: str = Field(description="document id#locator; …, as the pairing cites it")
    pairing_id: str


class ImportedTask(Answer):
    id: str
    district: str
    year: int
    number: int
    title: str


class ImportEventOut(Answer):
    id: str = Field(description="import:initial, or import:<document id>")
    kind: Literal[IMPORT_KINDS]  # type: ignore[valid-type]  # the schema table's values, known at import time
    kind_zh: str
    order: int = Field(description="place in the graph's history, from 1 (the initial load)")
    date: str | None = Field(description="the day the register records for the import (the initial load: the "
                                         "newest shipped document's date)")
    file: str | None = Field(None, description="the file as it was imported")
    documents: list[ImportedDocument] = Field(description="what the event used (prov:used)")
    added_pairings: int = Field(description="how many pairings it added")
    ended_pairings: int = Field(description="how many earlier pairings it ended")
    added_tasks: int = Field(description="how many tasks it added")
    added: list[ImportedPairing] = Field(description="pairings whose first source is a document it used")
    ended: list[ImportedPairing] = Field(description="earlier pairings ended by a document it used")
    tasks: list[ImportedTask] = Field(description="tasks read from a document it used")


def import_events(aid: AidGraph, *, details: bool = True) -> list[ImportEventOut]:
    """Every event, oldest first, with the pairings and tasks it brought; ``details`` False leaves the
    initial load's lists empty (they are the whole shipped graph; its node keeps the counts)."""
    store = aid.store
    docs = {d["id"]: d for d in store.nodes_of("Document")}
    used: dict[str, list[str]] = {}
    for event, doc in store.edges_of("USED"):
        used.setdefault(event, []).append(doc)
    pairings = store.pairings()
    names = store.nodes_by_id(sorted({r.supporter for r in pairings} | {r.place for r in pairings}))
    out = []
    for ev in sorted(store.nodes_of("ImportEvent"), key=lambda e: e["order"]):
        mine = {d.removeprefix("doc:") for d in used.get(ev["id"], [])}
        added: list[ImportedPairing] = []
        ended: list[ImportedPairing] = []
        show = details or ev["kind"] != "initial"
        for r in pairings if show else []:
            refs = [x.doc for x in split_refs(r.source)]
            if not refs or not mine & set(refs):
                continue
            item = ImportedPairing(supporter=names[r.supporter]["name"], place=names[r.place]["name"],
                                   place_code=names[r.place]["code"], programme=aid.programmes[r.program].name,
                                   valid_from=r.valid_from, valid_to=r.valid_to,
                                   period=period_text(r.valid_from, r.valid_to), source=r.source, pairing_id=r.id)
            (added if refs[0] in mine else ended).append(item)
        tasks = [ImportedTask(id=t.id, district=aid.place_name(t.district), year=t.year, number=t.number,
                              title=t.title)
                 for d in (sorted(mine) if show else []) for t in store.tasks(document=f"doc:{d}")]
        out.append(ImportEventOut(
            id=ev["id"], kind=ev["kind"], kind_zh=IMPORT_KIND_ZH[ev["kind"]], order=ev["order"], date=ev.get("date"),
            file=ev.get("file"), documents=[ImportedDocument(id=d, number=docs[f"doc:{d}"].get("number"),
                                                             title=docs[f"doc:{d}"]["title"]) for d in sorted(mine)],
            added_pairings=ev.get("added_pairings") or 0, ended_pairings=ev.get("ended_pairings") or 0,
            added_tasks=ev.get("added_tasks") or 0, added=added, ended=ended, tasks=tasks))
    return out
