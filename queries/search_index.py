"""What the search box offers while one types, and how what is typed finds it.

The index holds every place the graph holds facts about with its prefecture and province, the units,
the documents by number and the tasks by their words — each with its context (level, what it belongs
to, who supports it), one entry per thing (丘北 and 丘北县 are one place). What is typed finds an entry
by a name form that is the text, starts with it or contains it; a task by its words; a document by its
number however it is written (沪府合办发[2021]14号, （2021）, 2021年); a place by the same sound
(卢水 -> 泸水市), by the start of its pinyin (lu, lushui) or of its English name (Gyang…). Places come
first, and Shanghai's districts before places elsewhere that share a name (宝山). A suggestion found
other than by the name as written says how it was found (按“lu”（拼音开头）匹配).
"""
from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..errors import AidgraphError
from ..schema.docnumber import normalise_number, number_key
from ..schema.ids import division_of
from ..schema.labels import FORM_ZH, KIND_ZH, LEVEL_ZH
from ..schema.names import in_shanghai, spoken
from ..schema.places import latin_key
from ..schema.sources import short_cite
from .results import DocumentOut
from .service import AidGraph

MAX_TEXT = 100  # characters: longer text is no search-box input, and gets no suggestion
_PLAIN_FORMS = ("full", "short", "code")  # forms that need no word on how they matched
# how a suggestion was found when not by the text as written, besides how a name resolved (FORM_ZH)
HOW_ZH = {"sound": "读音相同", "sound-start": "读音开头相同", "pinyin": "拼音", "pinyin-start": "拼音开头",
          "english": "英文名", "english-start": "英文名开头", "number": "文号", "number-start": "文号开头"}


@dataclass(frozen=True)
class Suggestion:
    label: str
    kind: str                       # 地方, 单位, 文件, 任务
    context: str
    href: str
    order: int                      # places first, then units, documents, tasks
    keys: tuple[str, ...]           # name forms matched as one types (exact, prefix, part)
    words: str = ""                 # longer text matched by its parts (a task's words)
    keys_exact: frozenset = field(default_factory=frozenset)
    sounds: tuple[tuple[str, ...], ...] = ()  # a place's current name forms as pinyin syllables
    former_sounds: tuple[tuple[str, ...], ...] = ()  # and its former names (潞西 for 芒市)
    english: tuple[str, ...] = ()   # a place's English names, as latin_key writes them
    number: str = ""                # a document's number, normalised (schema.docnumber)
    shanghai: bool = False          # Shanghai or one of its districts


def _join(names, most: int = 3) -> str:
    names = list(dict.fromkeys(names))
    return "、".join(names[:most]) + ("等" if len(names) > most else "")


@lru_cache(maxsize=2)
def suggestion_index(aid: AidGraph) -> tuple[Suggestion, ...]:
    """Everything the search box can suggest, for this graph (built once per served graph)."""
    graph = aid.graph()
    out: list[Suggestion] = []
    # who supports what now: a place's own supporters, and for a prefecture or province those of its places
    supporters: dict[str, list[str]] = {}
    for r in aid.pairings():
        if not r.in_force(aid.now):
            continue
        div = division_of(r.place)
        name = aid.place_name(r.supporter)
        for d in (div, *aid.ancestors(div)):
            supporters.setdefault(d, []).append(name)
    english: dict[str, list[str]] = {}
    for key, named in sorted(aid.gaz.english.items()):
        for f in named:
            english.setdefault(f.division, []).append(key)
    nodes = {division_of(n["id"]): n for label in ("County", "Prefecture", "Province", "District", "Municipality")
             for n in graph.nodes(label)}
    divs = set(nodes)
    for d in list(divs):
        divs.update(aid.ancestors(d))
    for div in sorted(divs):
        ref = aid.place_ref(div, div in nodes)
        node = nodes.get(div, {})
        level = LEVEL_ZH.get(ref.level, ref.level)
        parent = " · ".join(x for x in (ref.prefecture, ref.province) if x)
        if ref.level in ("district", "municipality"):
            n_places = len({division_of(r.place) for r in aid.pairings(supporter=div) if r.in_force(aid.now)})
            ctx = f"{level} · 支援方 · 结对 {n_places} 处" if n_places else f"{level} · 上海市"
            href = f"/district/{ref.code}"
        else:
            sup = supporters.get(div, [])
            ctx = " · ".join(x for x in (level, parent, f"支援方：{_join(sup)}" if sup else "") if x)
            href = f"/place/{ref.code}"
        current = [ref.name, *node.get("short_names", [])]
        forms = [*current, *node.get("former_names", [])]
        sounds = tuple(dict.fromkeys(s for f in current for s in spoken(f)))
        former = tuple(s for s in dict.fromkeys(s for f in forms[len(current):] for s in spoken(f)) if s not in sounds)
        out.append(Suggestion(ref.name, "地方", ctx, href, 0, tuple(dict.fromkeys(forms)),
                              keys_exact=frozenset([*forms, ref.code]), sounds=sounds, former_sounds=former,
                              english=tuple(english.get(div, ())), shanghai=in_shanghai(aid.gaz, div)))
    tasks = aid.tasks()
    leads: dict[str, int] = {}
    for t in tasks:
        for u in t.lead_units:
            leads[u.id] = leads.get(u.id, 0) + 1
    for n in sorted(graph.nodes("Unit"), key=lambda n: n["id"]):
        owner = n["id"].split(":")[1]
        try:
            where = aid.place_name(owner)
        except (AidgraphError, KeyError, ValueError):
            where = ""
        kind = KIND_ZH.get(n.get("kind", ""), "单位")
        ctx = " · ".join(x for x in (kind, where, f"牵头 {leads[n['id']]} 项任务" if leads.get(n["id"]) else "") if x)
        forms = [n["name"], *n.get("names_as_written", [])]
        out.append(Suggestion(n["name"], "单位", ctx, f"/units#{n['id']}", 1, tuple(dict.fromkeys(forms)),
                              keys_exact=frozenset(forms)))
    for doc in aid.documents():
        label = short_cite(doc.number, doc.title)
        ctx = f"《{doc.title}》 · {doc.issuer} · {doc.date}" if doc.number else f"{doc.issuer} · {doc.date}（文号不详）"
        out.append(Suggestion(label, "文件", ctx, f"/document/{doc.id}", 2, (label, doc.title, doc.id),
                              keys_exact=frozenset(x for x in (doc.number, doc.id, doc.title) if x),
                              number=normalise_number(doc.number) if doc.number else ""))
    for t in tasks:
        no = f"任务{t.number}" if t.kind == "task" else f"保障措施{t.number}"
        lead = "、".join(u.name for u in t.lead_units)
        ctx = " · ".join(x for x in (f"{t.district} {t.year} 年 {no}", f"牵头：{lead}" if lead else "") if x)
        out.append(Suggestion(t.title, "任务", ctx, f"/tasks#{t.id}", 3, (t.title,), words=t.text,
                              keys_exact=frozenset([t.title])))
    return tuple(out)


def document_for(aid: AidGraph, text: str) -> DocumentOut | None:
    """The document whose id is ``text`` or whose number is the number ``text`` writes, however it
    writes it (沪府合办发[2021]14号, 沪府合办发（2021）14号, 沪府合办发2021年14号 are 沪府合办发〔2021〕14号)."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        return None
    number = normalise_number(text)
    return next((d for d in aid.documents() if text == d.id or (d.number and normalise_number(d.number) == number)),
                None)


def _how(form: str, kind: str) -> str:
    return f"按“{form}”（{kind}）匹配"


def _by_sound(s: Suggestion, text: str, key: str, sounds: list[tuple[str, ...]]) -> tuple[float, str] | None:
    """(score, how) of a place found by how it sounds: the same syllables as the Chinese ``text`` (5) or
    their start (6); a Latin ``key`` that is its pinyin or English name (5), starts one at a syllable
    (6) or within one (lu -> luo: 7). Half a point more where only a former name sounds so (潞西 for 芒市)."""
    for penalty, spoken_forms in ((0.0, s.sounds), (0.5, s.former_sounds)):
        found = _sounds_like(spoken_forms, s.english if not penalty else (), text, key, sounds)
        if found:
            return found[0] + penalty, found[1]
    return None


def _sounds_like(forms: tuple[tuple[str, ...], ...], english: tuple[str, ...], text: str, key: str,
                 sounds: list[tuple[str, ...]]) -> tuple[int, str] | None:
    if sounds:
        if len(sounds[0]) < 2:  # one character sounds like too much
            return None
        if any(t in forms for t in sounds):
            return 5, _how(text, HOW_ZH["sound"])
        if any(p[:len(t)] == t for t in sounds for p in forms):
            return 6, _how(text, HOW_ZH["sound-start"])
        return None
    if len(key) < 2:
        return None
    joined = ["".join(p) for p in forms]
    if key in joined:
        return 5, _how(text, HOW_ZH["pinyin"])
    if key in english:
        return 5, _how(text, HOW_ZH["english"])
    if any("".join(p[:i]) == key for p in forms for i in range(1, len(p) + 1)):
        return 6, _how(text, HOW_ZH["pinyin-start"])
    if any(e.startswith(key) for e in english):
        return 6, _how(text, HOW_ZH["english-start"])
    if any(j.startswith(key) for j in joined):
        return 7, _how(text, HOW_ZH["pinyin-start"])
    return None


def suggest(aid: AidGraph, q: str, limit: int = 12) -> list[Suggestion]:
    """The suggestions for what has been typed, best first: the place the text names; an entry with a
    name form (or document number) that is the text, then one that starts with it, then one containing
    it; a task whose words contain it; a place that sounds the same, then one whose pinyin or English
    name starts with it. Places before units, documents and tasks, Shanghai's before others. A place
    or document found other than by the text as written says how in its context."""
    text = " ".join(q.split())
    if not text or len(text) > MAX_TEXT:
        return []
    resolved, how_resolved = None, ""
    with contextlib.suppress(AidgraphError):
        m = aid.resolve(text)
        resolved = aid.place_ref(m.division).code
        if m.kind not in _PLAIN_FORMS:
            how_resolved = _how(text, FORM_ZH.get(m.kind, m.kind))
    number, typed_number = normalise_number(text), number_key(text)
    sounds = spoken(text)
    key = re.sub(r"[0-9]", "", latin_key(text)) if not sounds else ""
    scored: list[tuple[float, int, bool, int, int, Suggestion]] = []
    for i, s in enumerate(suggestion_index(aid)):
        how = ""
        score: float
        if resolved and s.kind == "地方" and s.href.endswith("/" + resolved):
            score, how = 0, how_resolved
        elif text in s.keys_exact:
            score = 1
        elif s.number and s.number == number:
            score, how = 1, _how(text, HOW_ZH["number"])
        elif any(k.startswith(text) for k in s.keys):
            score = 2
        elif s.number and len(typed_number) >= 2 and number_key(s.label).startswith(typed_number):
            score, how = 2, _how(text, HOW_ZH["number-start"])
        elif any(text in k for k in s.keys):
            score = 3
        elif s.words and all(w in s.words for w in text.split()):
            score = 4
        elif s.kind == "地方" and (found := _by_sound(s, text, key, sounds)):
            score, how = found
        else:
            continue
        if how:
            s = replace(s, context=f"{how} · {s.context}")
        scored.append((score, s.order, not s.shanghai, len(s.label), i, s))
    scored.sort(key=lambda x: x[:5])
    return [x[-1] for x in scored[:limit]]
