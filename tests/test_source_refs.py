"""The one source-reference grammar (``doc#locator``), the one citation and the one period text."""
from aidgraph.schema.eras import in_force, overlap, period_text
from aidgraph.schema.sources import SourceRef, full_cite, short_cite, source_docs, split_refs


def test_a_source_cell_reads_as_its_references():
    assert split_refs("hfhbf-2021-14#表5 1") == [SourceRef("hfhbf-2021-14", "表5 1")]
    # a continuation names a further place in the document before it
    assert split_refs("hfhbf-2021-14#表7; 表8; hfhz-2021-73#三(二)") == [
        SourceRef("hfhbf-2021-14", "表7"), SourceRef("hfhbf-2021-14", "表8"), SourceRef("hfhz-2021-73", "三(二)")]
    # a ';' inside brackets belongs to the note, and a bare id is the whole document
    assert split_refs("gbt2260; jhzb-2022-1#表1 (note; more)") == [
        SourceRef("gbt2260"), SourceRef("jhzb-2022-1", "表1 (note; more)")]
    assert split_refs("三(二)1") == [SourceRef("", "三(二)1")]  # names no document
    assert split_refs("") == [] and split_refs(None) == []
    assert source_docs("hfhbf-2021-14#表7; 表8; hfhz-2021-73#一") == ["hfhbf-2021-14", "hfhz-2021-73"]


def test_a_reference_writes_back_as_it_reads():
    assert str(SourceRef("notice-wanbei-2027", "第3行")) == "notice-wanbei-2027#第3行"
    assert str(SourceRef("gbt2260")) == "gbt2260"
    assert SourceRef.parse(" hfhbf-2021-14 # 表5 1 ") == SourceRef("hfhbf-2021-14", "表5 1")


def test_a_document_is_cited_by_its_number_else_its_title():
    assert short_cite("沪府合办发〔2021〕14号", "规划") == "沪府合办发〔2021〕14号"
    assert short_cite(None, "实施方案") == "《实施方案》"
    assert full_cite("沪府合办发〔2021〕14号", "规划") == "沪府合办发〔2021〕14号《规划》"
    assert full_cite(None, "实施方案") == "《实施方案》"


def test_periods_are_closed_and_written_one_way():
    assert in_force(2021, 2025, 2021) and in_force(2021, 2025, 2025)
    assert not in_force(2021, 2025, 2026) and not in_force(2021, None, 2020)
    assert in_force(None, None, 1990)
    assert overlap(2016, 2020, 2020, None) and not overlap(2016, 2020, 2021, None)
    assert period_text(2021, None) == "2021–至今"
    assert period_text(None, 2025) == "?–2025"
    assert period_text("", "") == "?–至今"  # a table's empty cells
