"""The unit-label table (curated/unit_role_labels.csv) is read as it is at each load: a server's
reload after the table was edited reads the edit, never the table as an earlier load found it."""
from __future__ import annotations

from aidgraph.graph_api.runtime import aidgraph_of
from aidgraph.loaders.curated import load


def _task_13_of_minhang_2024(root):
    aid = aidgraph_of(load(root))
    (task,) = [t for t in aid.tasks(district="闵行区", year=2024) if t.kind == "task" and t.number == 13]
    return {role: [u.name for u in getattr(task, f"{role}_units")] for role in ("lead", "responsible", "cooperating")}


def test_a_second_load_in_the_same_process_reads_the_edited_table(data_copy):
    # 闵行's 2024 work points, task 13: 牵头单位：区文旅局；责任单位：各街镇（工业区）、援外机构
    assert _task_13_of_minhang_2024(data_copy) == {
        "lead": ["区文旅局"], "responsible": ["各街镇（工业区）", "援外机构"], "cooperating": []}
    table = data_copy / "curated" / "unit_role_labels.csv"
    text = table.read_text(encoding="utf-8")
    assert "\n责任单位,responsible,\n" in text
    table.write_text(text.replace("\n责任单位,responsible,\n", "\n责任单位,cooperating,\n"), encoding="utf-8")
    assert _task_13_of_minhang_2024(data_copy) == {
        "lead": ["区文旅局"], "responsible": [], "cooperating": ["各街镇（工业区）", "援外机构"]}
