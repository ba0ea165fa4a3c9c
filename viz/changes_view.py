"""The changes meeting view (``changes``): what changed for a district (or a place) between two years,
``AidGraph.changes`` drawn — the added and the ended pairings, told apart by line style as well as by
colour (added solid, ended dashed), and the table of them the handout and the workbook list under
"调整" (新增 / 终止). Registered by name in ``viz.views``; built on ``viz.meeting_views``'s collector,
so its nodes, columns and rows are those of the other meeting views."""
from __future__ import annotations

from ..errors import NotADistrict
from ..queries.results import ChangeItem, Changes
from ..queries.service import AidGraph
from .meeting_views import MeetingView
from .view import View

ADDED, ENDED = "change:added", "change:ended"
# the picture's line kinds: the first is drawn solid, the second dashed (``styles.edge_style``, by order)
CHANGE_STYLES = {ADDED: ("新增结对", "#1a7f37"), ENDED: ("终止结对", "#b42318")}
CHANGE_WORD = {ADDED: "新增", ENDED: "终止"}
CHANGE_HEAD = ["调整", "支援方", "受援地", "级别", "所属地州市", "类别", "起始年", "终止年", "说明", "来源"]


def ask_changes(aid: AidGraph, center: str, first: int, second: int, prog: str | None) -> Changes:
    """The changes of ``center``: a supporter's (a district, 上海市), or else a paired place's."""
    try:
        return aid.changes(first, second, district=center, programme=prog)
    except NotADistrict:
        return aid.changes(first, second, place=center, programme=prog)


def changes_view(aid: AidGraph, center: str, *, first: int, second: int, prog: str | None) -> View:
    """``闵行区 结对调整 2020—2021``: the pairings ``center`` gained and lost from ``first`` to ``second``."""
    ans = ask_changes(aid, center, first, second, prog)
    b = MeetingView(aid, "changes", second, prog)
    items: list[tuple[str, ChangeItem]] = [(ADDED, i) for i in ans.added] + [(ENDED, i) for i in ans.ended]
    codes = sorted({i.place.code for _k, i in items})
    records = {r.id: r for r in aid.pairings(places=codes)} if codes else {}
    change: dict[str, tuple[str, str]] = {}
    for kind, item in items:
        r = records[item.pairing_id]
        b.add_pairing(r)
        edge = b.view.edges[-1]  # the pairing's own edge (add_pairing adds it last)
        edge.update(kind=kind, label=CHANGE_WORD[kind], dashes=kind == ENDED,
                    title=f"{CHANGE_WORD[kind]}：{edge['title']}")
        change[r.id] = (kind, item.note or "")
    if ans.place is not None:
        b.view.center = f"place:{ans.place.code}"
        name = ans.place.name
    else:
        ref = ans.district
        b.view.center = f"place:{ref.code}" if ref else ""
        b.own = b.view.center
        name = ref.name if ref else "上海市"
    b.title_parts = [name, b.prog_word(), "结对调整", f"{first}—{second}"]
    v = b.finish()
    v.programmes = dict(CHANGE_STYLES)
    for row in v.rows:
        kind, note = change[row["id"]]
        row["change"] = CHANGE_WORD[kind]
        row["note"] = "；".join(x for x in (note, row["note"]) if x)
    v.rows.sort(key=lambda row: row["change"] != "新增")  # stable: the added first, each in the table's order
    v.first_year = first
    regroupings = "；".join(g.note for g in ans.regroupings)
    v.note = "；".join(x for x in (
        f"{first} 年至 {second} 年没有结对调整" if not items else "", regroupings, *ans.notes) if x)
    return v


def change_section(view: View) -> dict:
    """The handout's table of the changes view (``viz.formats.pdf``)."""
    rows = [[str(i), r["change"], r["supporter"], r["place_short"], r["prefecture_short"] or r["province"],
             r["programme"], r["period"], r["cite"]] for i, r in enumerate(view.rows, 1)]
    added = sum(1 for r in view.rows if r["change"] == "新增")
    return {"heading": f"结对调整（新增 {added} 项，终止 {len(rows) - added} 项，{view.first_year}—{view.year}）",
            "sub": view.note,
            "cols": [("序号", 26), ("调整", 30), ("支援方", 54), ("受援地", 64), ("所属地州市", 60),
                     ("类别", 80), ("起止", 60), ("来源", 0)], "rows": rows}


def change_table(view: View) -> list[list]:
    """The workbook's sheet of the changes view (``viz.workbook``)."""
    out: list[list] = [list(CHANGE_HEAD)]
    for r in view.rows:
        out.append([r["change"], r["supporter"], r["place"], r["level"], r["prefecture"] or r["province"],
                    r["programme"], r["valid_from"], r["valid_to"] or "", r["note"], r["cite"]])
    return out


__all__ = ["CHANGE_STYLES", "change_section", "change_table", "changes_view"]
