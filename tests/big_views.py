"""A view made by hand too big to draw place by place (tests/test_overview.py): 8 supporting districts,
3 provinces of 4 prefectures of 12 counties (144 pairings, 8 + 12 + 144 = 164 nodes). Imports no
picture module, so a fresh process can write its handout first."""
from __future__ import annotations

from aidgraph.viz.view import View

PROVINCES = {"52": "贵州省", "53": "云南省", "54": "西藏自治区"}
SUPPORTERS = [("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310106", "静安区"),
              ("310107", "普陀区"), ("310109", "虹口区"), ("310110", "杨浦区"), ("310112", "闵行区")]


def big_view() -> View:
    v = View(title="测试 全部结对关系 2024", kind="programme", year=2024, data_date="2024-05-24",
             source_line="来源：沪府合办发〔2021〕14号", programmes={"program:east-west": ("东西部协作", "#c0392b")})
    for code, name in SUPPORTERS:
        v.nodes.append({"id": f"place:{code}", "label": name, "group": "District", "code": code, "col": 0,
                        "measure": 18})
    k = 0
    for pk, prov in PROVINCES.items():
        for f in range(1, 5):
            pref = f"{pk}{f:02d}00"
            pname = f"{prov[:2]}第{f}州"
            v.nodes.append({"id": f"place:{pref}", "label": pname, "group": "Prefecture", "code": pref, "col": 1,
                            "measure": 12})
            for c in range(1, 13):
                code, name = f"{pk}{f:02d}{c:02d}", f"{prov[:2]}{f}州{c}县"
                sup_code, sup = SUPPORTERS[k % 8]
                k += 1
                v.nodes.append({"id": f"place:{code}", "label": name, "group": "County", "code": code, "col": 2,
                                "measure": 1})
                v.edges.append({"from": f"place:{sup_code}", "to": f"place:{code}", "kind": "program:east-west"})
                v.edges.append({"from": f"place:{code}", "to": f"place:{pref}", "kind": "PART_OF", "dashes": True})
                v.rows.append({"supporter": sup, "supporter_code": sup_code, "place": name, "place_short": name,
                               "place_code": code, "level": "县级", "prefecture": pname, "prefecture_short": pname,
                               "province": prov, "programme": "东西部协作", "period": "2021–至今",
                               "cite": "沪府合办发〔2021〕14号 表7"})
    return v
