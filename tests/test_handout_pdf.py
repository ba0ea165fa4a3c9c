"""The meeting handout as the file a user opens: its pictures (matplotlib) and its table pages (fpdf2)
joined into one PDF, every page where the layout put it, the tables' words searchable, the same bytes
from any process, and a character the font lacks refused rather than printed as an empty box."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from pypdf import PdfReader

from aidgraph.viz.formats import render_view
from aidgraph.viz.formats.pdf import handout_pages
from aidgraph.viz.print_fonts import Fonts
from aidgraph.viz.sheet import Line, SheetPage
from aidgraph.viz.sheet_pdf import MissingGlyphs, sheet_pdf
from aidgraph.viz.views import build_view


def _text(page) -> str:
    return page.extract_text().replace(" ", "")


def test_minhang_handout_file(aid):
    """闵行区 2024 (data/curated, from 闵府办发〔2024〕20号 and the pairing tables): the picture (A4
    landscape), the timeline, then two table pages (A4 portrait) that hold its 10 pairings, 24 tasks and
    3 source documents, each page numbered."""
    view = build_view(aid, "pairings", "闵行区", year=2024)
    pdf = PdfReader(io.BytesIO(render_view(aid.graph(), view, "pdf")))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages]
    assert sizes == [(842, 595), (595, 842), (595, 842), (595, 842)]
    assert pdf.metadata is not None and pdf.metadata.title == "闵行区 结对关系 2024"
    assert "/CreationDate" not in pdf.metadata and "/ModDate" not in pdf.metadata
    first, second = _text(pdf.pages[2]), _text(pdf.pages[3])
    assert "一、结对关系（10项，2024年在执行）" in first and "二、工作要点任务与牵头、责任单位（24项）" in first
    assert "淮南市" in first and "泽普县" in first and "喀什地区" in first
    assert "第3页，共4页" in first and "第4页，共4页" in second
    assert "三、来源文件（3件）" in second and "闵府办发〔2024〕20号" in second
    assert "总结展示对口帮扶成果" in second  # 任务24, the last task
    assert "闵行区结对时间线" in _text(pdf.pages[1])


def test_table_pages_are_the_ones_laid_out(aid):
    """The file has a page for every page the layout made, in the same order."""
    view = build_view(aid, "supporters", "喀什地区", year=2024)
    handout = handout_pages(view)
    pdf = PdfReader(io.BytesIO(render_view(aid.graph(), view, "pdf")))
    assert len(pdf.pages) == len(handout.figures) + len(handout.sheets) and handout.sheets
    for page, laid_out in zip(pdf.pages[len(handout.figures):], handout.sheets, strict=True):
        text = _text(page)
        assert all(line.text.replace(" ", "") in text for line in laid_out.lines)


def test_a_character_the_font_lacks_is_refused():
    fonts = Fonts("闵行区")
    page = SheetPage(lines=[Line(40, 60, "闵行区", 9)])
    assert sheet_pdf([page], fonts).startswith(b"%PDF")
    page.lines.append(Line(40, 80, "闵行区龘", 9))  # 龘: not among the subset's glyphs
    with pytest.raises(MissingGlyphs, match="龘"):
        sheet_pdf([page], fonts)
    bold = SheetPage(lines=[Line(40, 60, "行龘", 9, bold=True)])
    with pytest.raises(MissingGlyphs, match="bold"):
        sheet_pdf([bold], fonts)


def test_the_handout_is_byte_identical_across_hash_seeds(tmp_path):
    outs = {seed: tmp_path / f"seed{seed}" for seed in (1, 2)}
    procs = {}
    for seed, out in outs.items():
        cmd = [sys.executable, "-m", "aidgraph.graph_api.cli", "export", "--view", "pairings", "--center", "闵行区",
               "--year", "2024", "--format", "pdf", "--out", str(out)]
        procs[seed] = subprocess.Popen(cmd, env={**os.environ, "PYTHONHASHSEED": str(seed)},
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for seed, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=240)
        assert proc.returncode == 0, (seed, stdout, stderr)
    a, b = (outs[seed] / "闵行区-结对关系-2024.pdf" for seed in (1, 2))
    assert a.read_bytes() == b.read_bytes() and len(PdfReader(a).pages) == 4
