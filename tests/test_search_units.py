"""Pure parts of search: the filter and its Chroma clauses, the per-meeting diversity cap."""

from __future__ import annotations

from assistant.search import Filters, ItemHit, cap_per_meeting
from ingest.models import AgendaItem, Meeting
from vectorstore.filters import Between, Equals, MetadataFilter
from vectorstore.store import chroma_where


def test_filters_to_where_clause() -> None:
    """Filters build the neutral filter; the store spells it as Chroma's ``where``."""
    assert Filters().where() is None
    assert chroma_where(Filters(body="KD-Net").where()) == {"body": "KD-Net"}
    where = Filters(doc_type="referat", date_from="2023-01-01", date_to="2023-06-30").where()
    assert where == MetadataFilter((Equals("doc_type", "referat"),
                                    Between("date_int", 20230101, 20230630)))
    assert chroma_where(where) == {"$and": [{"doc_type": "referat"},
                                            {"date_int": {"$gte": 20230101}},
                                            {"date_int": {"$lte": 20230630}}]}
    assert chroma_where(Filters(date_to="2023-06-30").where()) == {
        "date_int": {"$lte": 20230630}}
    # a section filter means the section's role, whatever the section is called in print
    assert chroma_where(Filters(section="Beslutning").where()) == {"section_role": "decision"}
    assert chroma_where(Filters(section="decision").where()) == {"section_role": "decision"}
    assert chroma_where(Filters(section="Indstilling").where()) == {"section_role": "proposal"}
    assert chroma_where(Filters(section="Noget helt andet").where()) == {
        "section": "Noget helt andet"}
    assert chroma_where(None) is None and chroma_where(MetadataFilter()) is None


def test_filters_accept_matches_where() -> None:
    f = Filters(body="KKR Midtjylland", date_from="2023-02-01", section="decision")
    decided = {"section": "Byrådets beslutning den 3. maj 2023", "section_role": "decision"}
    assert f.accepts({"body": "KKR Midtjylland", "date": "2023-02-10", **decided})
    assert not f.accepts({"body": "KKR Midtjylland", "date": "2023-02-10",
                          "section": "Indstilling", "section_role": "proposal"})
    assert not f.accepts({"body": "KD-Net", "date": "2023-02-10", **decided})
    assert not f.accepts({"body": "KKR Midtjylland", "date": "2022-11-04", **decided})


def hit(date: str, number: str) -> ItemHit:
    item = AgendaItem(number=number, title=f"Punkt {number}", order=int(number))
    meeting = Meeting(body="KKR Midtjylland", date=date, doc_type="referat", source="x",
                      doc_hash="h", items=(item,))
    return ItemHit(meeting, item)


def test_cap_per_meeting_moves_a_meetings_extra_items_behind_the_others() -> None:
    ranked = [hit("2023-02-10", "1"), hit("2023-02-10", "2"), hit("2023-02-10", "3"),
              hit("2023-06-21", "1"), hit("2023-02-10", "4"), hit("2023-11-21", "1")]
    capped = cap_per_meeting(ranked, 2)
    assert [(h.meeting.date, h.item.number) for h in capped] == [
        ("2023-02-10", "1"), ("2023-02-10", "2"), ("2023-06-21", "1"), ("2023-11-21", "1"),
        ("2023-02-10", "3"), ("2023-02-10", "4"),
    ]
    assert cap_per_meeting(ranked, 10) == ranked


def test_timeline_with_two_months_names_a_period() -> None:
    from assistant.query import analyze

    q = analyze("Hvordan forløb arbejdet fra KD-Net-mødet i november 2022 "
                "til KKR-mødet i juni 2023?")
    assert q.timeline and len([d for d in q.dates if d.month]) == 2
    assert q.period() == ((2022, 11), (2023, 6))
    assert q.in_period("2023-02-10")
    assert q.in_period("2022-11-04") and q.in_period("2023-06-21")
    assert not q.in_period("2023-11-21") and not q.in_period("2022-10-31")
    single = analyze("Hvad skete der på mødet i juni 2023?")
    assert single.period() is None and not single.in_period("2023-06-21")


def test_a_span_of_years_or_months_makes_a_timeline() -> None:
    from assistant.query import analyze

    years = analyze("Hvilke tilskud blev givet fra 2022 til 2024?")
    assert years.timeline and years.period() == ((2022, 1), (2024, 12))
    assert years.in_period("2024-12-09") and not years.in_period("2025-01-15")
    long_en = analyze("How did the Culture and Leisure Committee's decisions on the sports and "
                      "leisure honours event and its ticket price develop from November 2024 "
                      "to September 2025?")
    assert long_en.timeline and long_en.period() == ((2024, 11), (2025, 9))
    # a change between two meetings is one comparison, not a timeline
    assert not analyze("How did the grant change at the June 2023 meeting?").timeline
