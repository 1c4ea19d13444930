"""Bodies a question names, resolved against the archive's own bodies (no body in code)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.bodies import BodyIndex, BodyMention
from assistant.mentions import municipality_mentions
from ingest.bodies import load_aliases

MIXED = [
    "KKR Midtjylland", "KD-Net", "Byråd", "Økonomiudvalget, Glostrup Kommune",
    "Økonomiudvalget, Greve Kommune", "Klima-, Teknik- og Miljøudvalget",
    "Regionsrådet, Region Midtjylland",
]  # fmt: skip


@pytest.mark.parametrize(
    ("question", "held", "unknown"),
    [
        ("Hvad besluttede KKR om klima?", ("KKR Midtjylland",), ()),
        ("Hvad besluttede KKR Nordjylland om klima?", (), ("KKR Nordjylland",)),
        ("What did the municipal directors' network decide?", ("KD-Net",), ()),
        ("Hvad skete der på KD-Net-mødet?", ("KD-Net",), ()),
        ("Hvad besluttede Økonomiudvalget i Glostrup om centerchefen?",
         ("Økonomiudvalget, Glostrup Kommune",), ()),
        ("Hvad stod der i Økonomiudvalgets referat?",
         ("Økonomiudvalget, Glostrup Kommune", "Økonomiudvalget, Greve Kommune"), ()),
        ("Hvad besluttede byrådet om skatten?", ("Byråd",), ()),
        ("What did the City Council decide about the tax rate?", ("Byråd",), ()),
        ("What did the Finance Committee recommend?",
         ("Økonomiudvalget, Glostrup Kommune", "Økonomiudvalget, Greve Kommune"), ()),
        ("Hvad mener regionsrådet om trafikken?", ("Regionsrådet, Region Midtjylland",), ()),
        ("Hvad besluttede Social- og Sundhedsudvalget?", (), ("Social- og Sundhedsudvalget",)),
        ("Hvad blev der besluttet om budgettet?", (), ()),
    ],
)
def test_mentions_in_a_mixed_archive(question: str, held: tuple, unknown: tuple) -> None:
    mention = BodyIndex(MIXED).mention(question)
    assert (set(mention.held), mention.unknown) == (set(held), unknown)


def test_a_name_said_indefinitely_or_listing_areas_names_the_right_body() -> None:
    """'Udvalg for Teknik og Miljø' (after a genitive) names 'Udvalget for Teknik og Miljø';
    a name that lists its areas with commas is not named by its first area alone."""
    index = BodyIndex(["Teknik, Erhverv, Plan og Miljøudvalget 2018-2021",
                       "Udvalget for Teknik og Miljø", "Økonomiudvalget, Hjortsø Kommune"])
    assert index.mention("Hvad besluttede kommunens Udvalg for Teknik og Miljø om vejene?"
                         ).held == ("Udvalget for Teknik og Miljø",)
    assert index.mention("Hvad sagde teknikchefen om vejene?") == BodyMention()
    assert index.mention("Hvad besluttede Teknik, Erhverv, Plan og Miljøudvalget?").held == (
        "Teknik, Erhverv, Plan og Miljøudvalget 2018-2021",)
    assert index.mention("Hvad besluttede Økonomiudvalgets formand?").held == (
        "Økonomiudvalget, Hjortsø Kommune",)


def test_an_acronym_names_a_body_only_when_one_body_has_it() -> None:
    two = BodyIndex(["KKR Midtjylland", "KKR Nordjylland"])
    assert two.mention("Hvad besluttede KKR?") == BodyMention()
    assert two.mention("Hvad besluttede KKR Nordjylland?").held == ("KKR Nordjylland",)


def test_an_english_body_type_names_the_bodies_of_that_type_not_those_named_after_it() -> None:
    greve = BodyIndex(["Byråd 2022-2025", ".Spørgsmål / Svar til Byrådet 2022-2025",
                       "Økonomiudvalget"])
    assert greve.mention("What did the City Council decide?").held == ("Byråd 2022-2025",)
    # where no body begins with the type, the ones that hold it are meant
    assert BodyIndex(["Greve Byråd", "KD-Net"]).mention(
        "What did the City Council decide?").held == ("Greve Byråd",)


def test_english_body_type_the_archive_lacks_is_unknown() -> None:
    samples = BodyIndex(["KKR Midtjylland", "KD-Net"])
    mention = samples.mention("What did the city council decide about business development?")
    assert mention == BodyMention((), ("the city council",))


def test_user_alias_file_extends_the_table(tmp_path: Path) -> None:
    extra = tmp_path / "aliases.json"
    extra.write_text(json.dumps({"bestyrelsen for forsyningen": "Forsyning A/S"}), "utf-8")
    table = load_aliases(str(extra))
    assert table["bestyrelsen for forsyningen"] == "Forsyning A/S" and "kd-net" in table
    index = BodyIndex(["Forsyning A/S"], table)
    assert index.mention("Hvad besluttede bestyrelsen for forsyningen?").held == ("Forsyning A/S",)
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2]", "utf-8")
    with pytest.raises(ValueError, match="broken.json"):
        load_aliases(str(broken))


def test_user_glossary_file_extends_the_table(tmp_path: Path) -> None:
    from assistant.glossary import load_glossary

    extra = tmp_path / "glossary.json"
    extra.write_text(json.dumps({"ferry": "færge færgefart"}), "utf-8")
    table = load_glossary(str(extra))
    assert table["ferry"] == "færge færgefart" and "chair" in table
    extra.write_text(json.dumps({"ferry": 3}), "utf-8")
    with pytest.raises(ValueError, match="glossary.json"):
        load_glossary(str(extra))


def test_a_glossary_key_matches_at_a_word_start_and_a_dollar_key_the_whole_word() -> None:
    from assistant.glossary import GLOSSARY, translate_terms

    assert "busser" in translate_terms("Which bus routes were cut?")
    assert "busser" not in translate_terms("What is the business strategy?")
    assert "tilskud" in translate_terms("Which subsidies were granted?")  # 'subsid' goes on
    assert "lovforslag" not in translate_terms("a billion kroner")
    # the shipped table: lower-case keys, Danish words as values, no empty entry
    for key, value in GLOSSARY.items():
        assert key == key.lower() and value.split(), key


GREVE_LIKE = [
    "Kultur- og Fritidsudvalget", "Plan- og Tryghedsudvalget", "Byråd 2022-2025",
    "Sundheds- og Omsorgsudvalget", "Klima-, Teknik- og Miljøudvalget", "Økonomiudvalget",
    "Beskæftigelses- og Erhvervsudvalget", "Skole-, Børne- og Ungeudvalget",
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "held", "unknown"),
    [
        ("What did the Culture and Leisure Committee decide about the grant?",
         ("Kultur- og Fritidsudvalget",), ()),
        ("Which theme meetings did the Health and Care Committee schedule?",
         ("Sundheds- og Omsorgsudvalget",), ()),
        ("What did Greve's Harbour Committee decide about mooring fees?",
         (), ("Harbour Committee",)),
        ("What did the Climate, Technical and Environment Committee say about the pitch?",
         ("Klima-, Teknik- og Miljøudvalget",), ()),
    ],
)  # fmt: skip
def test_english_body_names_are_matched_by_meaning(
    real_embedder: object, question: str, held: tuple[str, ...], unknown: tuple[str, ...]
) -> None:
    """No dictionary: the index's model finds the Danish body an English name means, and
    tells a body the archive lacks (the Harbour Committee) from the ones it holds."""
    index = BodyIndex(GREVE_LIKE, aliases={}, embedder=real_embedder)
    mention = index.mention(question)
    assert (mention.held, mention.unknown) == (held, unknown)


@pytest.mark.slow
def test_an_english_name_with_its_town_is_that_town_s_body(real_embedder: object) -> None:
    """Two towns' technical committees are both close to the English name; the one whose
    name carries the town the question names is meant."""
    index = BodyIndex(["Teknik- og Miljøudvalget", "Udvalget for teknik og miljø, Hjortsø Kommune",
                       "Kultur- og Fritidsudvalget"], aliases={}, embedder=real_embedder)
    question = "What did Hjortsø's Technical and Environment Committee hear about food waste?"
    assert index.mention(question).held == ("Udvalget for teknik og miljø, Hjortsø Kommune",)
    assert index.mention(question.replace("Hjortsø's ", "the ")).held == (
        "Teknik- og Miljøudvalget",)


@pytest.mark.slow
def test_an_english_body_name_is_no_topic_to_translate(real_embedder: object) -> None:
    """'the Planning and Safety Committee' names Plan- og Tryghedsudvalget: its words must
    not become search words (plan, tryghed) that every item of that committee holds."""
    from assistant.query import analyze

    index = BodyIndex(GREVE_LIKE, aliases={}, embedder=real_embedder)
    question = ("What did the Planning and Safety Committee decide about the security "
                "patrol guards?")
    query = analyze(question, index)
    assert query.bodies == ("Plan- og Tryghedsudvalget",)
    assert index.mention(question).english_names == ("Planning and Safety Committee",)
    words = query.lexical_text.split()
    assert "sikkerhed" in words  # 'security' is the topic
    assert "plan" not in words and "planlægning" not in words


MINUTES = [
    "Greve Kommune har modtaget en ansøgning fra Roskilde Kommune om et fælles projekt.",
    "Administrationen indstiller, at Greve Kommune indgår aftalen.",
    "Sagen er drøftet med Greve Kommunes Ældreråd og med Solrød Kommune.",
]  # sentences like a council's minutes: its own municipality is named most


def test_a_council_of_another_municipality_is_a_body_the_archive_lacks() -> None:
    from assistant.bodies import home_municipality

    council = "Byråd 2022-2025"  # its name does not say whose council it is
    index = BodyIndex([council, "Økonomiudvalget"], aliases={},
                      mentions=lambda body: municipality_mentions(MINUTES if body == council
                                                                  else []))
    assert index.council_homes() == {"greve"}
    for question in (
        "Hvad besluttede Roskilde Byråd om letbanen?",
        "Hvad besluttede byrådet i Roskilde om letbanen?",
        "What did the City Council of Roskilde decide about the light rail?",
        "What did Roskilde City Council decide about the light rail?",
        "Hvad besluttede Roskilde Kommunes økonomiudvalg om budgettet?",
    ):
        mention = index.mention(question)
        assert mention.held == () and len(mention.unknown) == 1, question
        assert "Roskilde" in mention.unknown[0], question
    for question in (
        "Hvad besluttede Greve Byråd om letbanen?",
        "Hvad besluttede Greves byråd om letbanen?",
        "Hvad besluttede Byrådet i Greve Kommune om letbanen?",
        "What did the City Council decide in May about the light rail?",
        "Byrådet i dag: hvad blev besluttet om letbanen?",
    ):
        assert index.mention(question) == BodyMention((council,)), question
    # a council whose name carries its municipality needs no documents to tell it
    assert home_municipality("Hjortsø Byråd", {}) == "hjortsø"
    assert home_municipality("Byrådet, Hjortsø Kommune", {}) == "hjortsø"
    named = BodyIndex(["Byrådet, Hjortsø Kommune"], aliases={})
    assert named.mention("Hvad besluttede Hjortsø Byråd?").held == ("Byrådet, Hjortsø Kommune",)
    assert named.mention("Hvad besluttede Roskilde Byråd?").unknown == ("Roskilde Byråd",)


def test_a_town_whose_council_documents_share_a_name_with_other_towns_is_held() -> None:
    """Several towns' 'Byrådet' are one body name, whose documents name Greve most; a
    document of that body filed under Randers (or whose text names Randers as its own)
    makes 'Randers Byråd' held, not another municipality's council the archive lacks."""
    council = "Byrådet"
    placed = {("Byrådet", "Randers"), ("Byrådet", "Hillerød")}
    index = BodyIndex([council], aliases={},
                      mentions=lambda body: municipality_mentions(MINUTES),
                      placed=lambda body, place: (body, place) in placed)
    assert index.council_homes() == {"greve"}
    for question in ("Hvem blev indkaldt som stedfortræder i Randers Byråd?",
                     "Which song was sung before Hillerød City Council's meeting?",
                     "Hvad besluttede Greve Byråd om letbanen?"):
        assert index.mention(question).held == (council,), question
    for question in ("Hvad besluttede Roskilde Byråd om letbanen?",
                     "What did Holstebro City Council decide in May 2019?"):
        mention = index.mention(question)
        assert mention.held == () and len(mention.unknown) == 1, question


def test_a_body_whose_documents_name_no_municipality_may_be_the_one_asked_about() -> None:
    """'Kommunalbestyrelsen i Rødovre' is unknown to an archive whose only other council is
    Greve's; when the best evidence is a council whose pages never say their municipality,
    it may be Rødovre's, and that is no reason to refuse.  A council the archive places
    elsewhere, or a body of another kind, is."""
    greve, nameless, committee = "Byråd 2022-2025", "Kommunalbestyrelsen", "Udvalget for Miljø"
    texts = {greve: MINUTES, nameless: ["Lokalplan 145 blev vedtaget."], committee: []}
    index = BodyIndex([greve, nameless, committee], aliases={},
                      mentions=lambda b: municipality_mentions(texts[b]))
    asked = index.mention("Hvad besluttede Kommunalbestyrelsen i Rødovre om lokalplanen?")
    assert asked.unknown == ("Kommunalbestyrelsen i Rødovre",)
    name = asked.unknown[0]
    assert index.may_be(name, nameless)
    assert not index.may_be(name, greve)  # Greve's own council
    assert not index.may_be(name, committee)  # not a council
    assert index.may_be("Rødovre Kommunes økonomiudvalg", committee)
    assert index.may_be("the City Council of Rødovre", nameless)
    assert not index.may_be(name, None)


def test_a_council_is_named_by_its_place_and_an_authority_by_its_name() -> None:
    from assistant.bodies import council_place, folded, is_council_or_committee

    assert council_place("Stevns municipal council") == "Stevns"
    assert council_place("Kommunalbestyrelsen i Rødovre") == "Rødovre"
    assert council_place("Økonomiudvalget") is None
    assert is_council_or_committee("Regionsrådet") and is_council_or_committee("Økonomiudvalget")
    assert not is_council_or_committee("Miljø- og Fødevareklagenævnet")
    assert folded("Køge Brønderslev") == ("koege broenderslev", "koge bronderslev")
