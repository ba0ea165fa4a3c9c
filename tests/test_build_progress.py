"""A build of the graph says what it is doing on a terminal (a national build takes a minute): a line as
it starts, the work-points texts read so far, the time it took; in a pipe or a log it writes nothing."""
from __future__ import annotations

import io

from aidgraph.graph_api import runtime
from aidgraph.loaders import curated
from aidgraph.settings import data_dir


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_load_reports_the_work_points_texts_it_has_read(monkeypatch):
    calls: list[tuple[int, int]] = []
    curated.load(data_dir(), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 2)]  # the seed's work points: 静安 2022 and 闵行 2024
    monkeypatch.setattr(curated, "PROGRESS_EVERY", 1)
    calls.clear()
    curated.load(data_dir(), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


def test_a_terminal_sees_the_build_and_a_pipe_sees_nothing():
    term = _Terminal()
    with runtime._build_shown(term) as progress:
        assert progress is not None
        progress(100, 250)
        progress(250, 250)
    shown = term.getvalue()
    assert shown.startswith("正在从数据文件构建图谱")
    assert "\r  已读工作要点 100 / 250 份" in shown
    assert "\r  已读工作要点 250 / 250 份 work-points texts read\n" in shown
    assert "图谱已构建并存入缓存，用时 " in shown.splitlines()[-1]
    pipe = io.StringIO()
    with runtime._build_shown(pipe) as progress:
        assert progress is None
    assert pipe.getvalue() == ""
