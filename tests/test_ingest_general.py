"""Ingest of any archive through the real pipeline and a temporary Chroma (fake embedder):
documents that would once have been refused, hints, duplicates, ids, closed items, the
FirstAgenda connector and `meetings inspect`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from ingest.chunker import CLOSED_SECTION
from ingest.pipeline import source_key
from ingest.serialize import meeting_from_dict

GREVE = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "greve"

NO_HEADER = """1. Godkendelse af dagsorden
Beslutning
Godkendt.

2. Salg af grund på Havnevej
Sagsnr.: 24/1234
Indstilling
Det indstilles, at grunden sælges.
Beslutning
Indstillingen blev godkendt.

3. Lukket: Personalesag
"""

LETTER = """# Notat om vintertjenesten

Vejafdelingen har gennemgået saltforbruget for sæsonen.
Forbruget var 20 procent lavere end året før.
"""


def _stored(services, path: Path) -> dict:
    record = services.store.get_document(source_key(path))
    assert record is not None, path
    return record.payload


def test_documents_without_header_or_structure_are_stored_with_warnings(
    hash_services, tmp_path
):
    folder = tmp_path / "arkiv" / "2019-03-12 16.00"
    folder.mkdir(parents=True)
    minutes = folder / "referat.txt"
    minutes.write_text(NO_HEADER, encoding="utf-8")
    letter = tmp_path / "arkiv" / "notat.md"
    letter.write_text(LETTER, encoding="utf-8")

    report = hash_services.ingestor.ingest([tmp_path / "arkiv"])
    assert (report.documents, report.ingested, report.errors) == (2, 2, [])
    warnings = {(Path(w.file).name, w.warning) for w in report.warnings}
    assert ("referat.txt", "body not found: stored as unknown") in warnings
    assert ("referat.txt", "meeting date taken from the file name: 2019-03-12") in warnings
    assert ("notat.md", "no agenda structure found: stored as one unnumbered item") in warnings

    stored = meeting_from_dict(_stored(hash_services, minutes))
    assert (stored.body, stored.date, stored.doc_type) == (None, "2019-03-12", "referat")
    assert [(i.number, i.title, i.case_number, i.closed) for i in stored.items] == [
        ("1", "Godkendelse af dagsorden", None, False),
        ("2", "Salg af grund på Havnevej", "24/1234", False),
        ("3", "Personalesag", None, True),
    ]
    assert stored.items[1].decision == "Indstillingen blev godkendt."
    note = meeting_from_dict(_stored(hash_services, letter))
    assert [(i.number, i.title) for i in note.items] == [("", "Notat om vintertjenesten")]

    _, texts, metas = hash_services.store.all_chunks()
    by_item = {(m["source"], m["item_number"]): (t, m) for t, m in zip(texts, metas, strict=True)}
    closed_text, closed_meta = by_item[(source_key(minutes), "3")]
    assert (closed_text, closed_meta["section"], closed_meta["closed"]) == (
        "Personalesag", CLOSED_SECTION, True
    )
    decision = [m for m in metas if m["source"] == source_key(minutes) and m["item_number"] == "2"]
    assert {m["section_role"] for m in decision} == {"proposal", "decision"}
    assert all(m["body"] == "" and m["date_int"] == 20190312 for m in decision)


def test_hints_override_and_fill_in(hash_services, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text(NO_HEADER, encoding="utf-8")
    from ingest.parser import MeetingHints

    hints = MeetingHints(body="Økonomiudvalget", date="2024-05-03", doc_type="referat")
    report = hash_services.ingestor.ingest([path], hints=hints)
    assert report.ingested == 1 and not [w for w in report.warnings if "body" in w.warning]
    stored = _stored(hash_services, path)
    assert (stored["body"], stored["date"], stored["meeting_id"]) == (
        "Økonomiudvalget", "2024-05-03", "oekonomiudvalget-2024-05-03-referat"
    )


def test_same_content_twice_is_stored_once_with_both_sources(hash_services, corpus_copy):
    original = next(corpus_copy.glob("004_*.txt"))
    copy = corpus_copy / "copy-of-004.txt"
    shutil.copyfile(original, copy)
    report = hash_services.ingestor.ingest([original, copy])
    assert (report.ingested, report.duplicates) == (1, 1)
    record = hash_services.store.get_document(source_key(original))
    assert record.payload["sources"] == [source_key(original), source_key(copy)]
    _, _, metas = hash_services.store.all_chunks()
    assert {m["source"] for m in metas} == {source_key(original)}


def test_two_documents_of_one_meeting_both_stay_under_distinct_ids(hash_services, corpus_copy):
    original = next(corpus_copy.glob("004_*.txt"))
    supplement = corpus_copy / "004-supplement.txt"
    text = original.read_text(encoding="utf-8")
    supplement.write_text(text.replace("Godkendt", "Godkendt med en bemærkning"), "utf-8")
    report = hash_services.ingestor.ingest([original, supplement])
    assert (report.ingested, report.duplicates) == (2, 0)
    ids = [r.payload["meeting_id"] for r in hash_services.store.all_documents()]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert ids[0].startswith(ids[1]) or ids[1].startswith(ids[0])
    # re-ingesting keeps each document's id: nothing changes, nothing is re-embedded
    again = hash_services.ingestor.ingest([original, supplement])
    assert (again.ingested, again.skipped_unchanged) == (0, 2)


def test_cli_inspect_shows_how_a_file_is_understood_without_storing(tmp_path, capsys):
    path = tmp_path / "Byraad_den_3._maj_2024.txt"
    path.write_text("Byrådet\nReferat\n\n" + NO_HEADER, encoding="utf-8")
    db = tmp_path / "db"
    assert main(["--db", str(db), "inspect", "--json", str(path)]) == 0
    entry = json.loads(capsys.readouterr().out)
    assert (entry["body"], entry["date"], entry["doc_type"]) == ("Byrådet", "2024-05-03", "referat")
    assert [i["number"] for i in entry["items"]] == ["1", "2", "3"]
    assert entry["items"][2]["closed"] and entry["items"][2]["sections"] == []
    assert entry["items"][1]["sections"] == [
        {"name": "Indstilling", "role": "proposal", "chars": 34},
        {"name": "Beslutning", "role": "decision", "chars": 28},
    ]
    assert "meeting date taken from the file name: 2024-05-03" in entry["warnings"]
    assert not db.exists()  # nothing stored, no model loaded

    assert main(["inspect", str(path), "--doc-type", "dagsorden"]) == 0
    out = capsys.readouterr().out
    assert "type:      dagsorden" in out and "[lukket]" in out and "24/1234" in out


def test_cli_inspect_of_a_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "nope.pdf")]) == 2
    assert "nope.pdf" in capsys.readouterr().err


@pytest.mark.skipif(not GREVE.is_dir(), reason="../shared/corpus/greve not available")
def test_firstagenda_meetings_ingest_through_the_pipeline(hash_services, tmp_path):
    files = sorted(GREVE.glob("*.json"))[:6]
    report = hash_services.ingestor.ingest(files)
    assert (report.ingested, report.errors) == (6, [])
    records = hash_services.store.all_documents()
    assert len({r.payload["meeting_id"] for r in records}) == 6
    raw_items = sum(len(json.loads(f.read_text("utf-8"))["Dagsordenpunkter"]) for f in files)
    assert report.items == raw_items
    _, _, metas = hash_services.store.all_chunks()
    assert any(m["section_role"] == "decision" for m in metas)
    printed = {
        (str(p.get("Number")), (p.get("CaseNumber") or "").strip())
        for f in files for p in json.loads(f.read_text("utf-8"))["Dagsordenpunkter"]
    }
    assert {(m["item_number"], m["case_number"]) for m in metas} <= printed


OTHER = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "other"


@pytest.mark.skipif(not OTHER.is_dir(), reason="../shared/corpus/other not available")
@pytest.mark.parametrize("name", ["glostrup_oeu_2025-11-19_truncated.docx",
                                  "glostrup_oeu_2025-11-19_repaired.docx"])
def test_real_word_export_parses_to_its_truth(name: str) -> None:
    from ingest.pipeline import load_meeting

    truth = next(t for t in json.loads((OTHER / "truth.json").read_text("utf-8"))
                 if t["file"] == name)
    _, meeting = load_meeting(OTHER / name)
    assert (meeting.body, meeting.date, meeting.doc_type) == (
        truth["body"], truth["meeting_date"], truth["doc_type"]
    )
    assert [(i.number, i.title) for i in meeting.items] == [
        (t["number"], t["title"].replace(" - (FOR LUKKEDE DØRE)", "")) for t in truth["items"]
    ]
    assert [i.closed for i in meeting.items] == [False, False, False, True]
    decisions = [i.decision or "" for i in meeting.items[:3]]
    assert all(decisions) and "Indstillingen godkendt." in decisions[2]
    assert [s.name for s in meeting.items[2].sections if s.role == "decision"] == [
        "Beslutning i Økonomiudvalget den 19-11-2025"
    ]
    recovered = any("recovered text from a damaged DOCX" in w for w in meeting.warnings)
    assert recovered == ("truncated" in name)


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_real_minutes_printed_to_pdf_parse_like_the_word_file() -> None:
    from ingest.pipeline import load_meeting

    _, meeting = load_meeting(FIXTURES / "glostrup_oeu_2025-11-19.pdf")
    assert (meeting.body, meeting.date, meeting.doc_type, meeting.time) == (
        "Økonomiudvalget, Glostrup Kommune", "2025-11-19", "referat", "14:00"
    )
    assert [(i.number, i.title, i.case_number, i.closed) for i in meeting.items] == [
        ("1", "Godkendelse af dagsordenen", "25/23642", False),
        ("2", "Orientering fra borgmesteren", "25/23642", False),
        ("3", "Ansættelse af centerchef til Center for Glostrup Ejendomme", "25/20079", False),
        ("4", "Orientering fra borgmesteren", "25/23642", True),
    ]
    hiring = meeting.items[2]
    assert [(s.name, s.role) for s in hiring.sections if s.role != "background"] == [
        ("Indstilling", "proposal"), ("Beslutning i økonomiudvalget den 19-11-2025", "decision")
    ]
    assert hiring.decision is not None and "Indstillingen godkendt." in hiring.decision
    assert meeting.items[1].decision is not None
    assert "Intet til orientering." in meeting.items[1].decision
