"""Parser round 20: layouts of real pages 139-142, each on a small made-up document.

* an agenda run on inside an archive page's one-line excerpt after its caption
  'Dagsorden:', numbers bare and titles in lower case, minutes after it
  (``captioned_runon_toc``);
* an ordered list set in under an item heading at the margin, counting from 1 again, is
  the item's text (``inner_lists``), and a page of selected items skips numbers
  (``selected_items``);
* a list under the caption 'Punkter på dagsordenen:' holds items with two entries
  (``agenda_caption``);
* a title that ends in a short place name loses its closing stop (``name_stops``).
"""

from __future__ import annotations

from ingest.glued import without_full_stop
from ingest.models import Document, Meeting
from ingest.parser import parse_meeting


def _parse(text: str, path: str = "/arkiv/eksempelby/moede.txt") -> Meeting:
    return parse_meeting(Document(path=path, text=text))


def _items(meeting: Meeting) -> list[tuple[str, str]]:
    return [(item.number, item.title) for item in meeting.items]


def test_agenda_run_on_after_its_caption_inside_an_excerpt_line() -> None:
    text = (
        "Beboermøde – juni 2019\n\n"
        "Beboermøde i Lundby Forsamlingshus Onsdag d. 12. juni 2019 kl. 19.00 Dagsorden: "
        "1 valg af dirigent 2 nyt fra formanden 3 regnskab 4 legepladsen 5 trafik på "
        "Skolevej 6 Evt. Beboermøde 12. juni 2019 Referat Punkt 1 Karen Punkt 2 Intet [...]\n"
    )
    meeting = _parse(text)
    assert _items(meeting) == [
        ("1", "valg af dirigent"), ("2", "nyt fra formanden"), ("3", "regnskab"),
        ("4", "legepladsen"), ("5", "trafik på Skolevej"), ("6", "Evt."),
    ]  # fmt: skip
    assert meeting.date == "2019-06-12"  # the meeting sentence before the caption


def test_a_list_set_in_under_an_item_heading_is_its_text_and_selected_items_skip() -> None:
    text = (
        "Byrådsmøde 4/5-2021\n\n"
        "Vi ser på to af punkterne.\n\n"
        "3. Budgetramme for 2022\n\n"
        "Direktionen foreslår:\n\n"
        " 1. 1. Lavere udgifter til drift\n"
        "  Besparelse på 4 mio. kr.\n"
        " 2. 2. Færre anlægsprojekter\n"
        "  Besparelse på 9 mio. kr.\n\n"
        "Beslutning i Byrådet, 04-05-2021\n"
        "Godkendt.\n\n"
        "6. Salg af grund ved havnen\n\n"
        "Grunden sælges til højeste bud.\n"
    )
    assert _items(_parse(text)) == [
        ("3", "Budgetramme for 2022"), ("6", "Salg af grund ved havnen")
    ]


def test_two_items_under_the_caption_punkter_paa_dagsordenen() -> None:
    text = (  # a PDF viewer's text: each printed line a paragraph of its own
        "Møde i Naturrådet 2. marts 2015\n\n"
        "Deltagere:\n\nAnne Holm (AH)\n\nPeter Lund (PL)\n\n"
        "Punkter på dagsordenen:\n\n"
        "1. Velkomst og godkendelse af dagsorden\n\n"
        "Formanden bød velkommen, og dagsordenen blev godkendt.\n\n"
        "2. Nyt fra sekretariatet\n\n"
        "Sekretariatet orienterede om det seneste møde den\n\n"
        "14. februar, hvor rådet drøftede stier.\n"
    )
    assert _items(_parse(text)) == [
        ("1", "Velkomst og godkendelse af dagsorden"), ("2", "Nyt fra sekretariatet")
    ]


def test_a_short_place_name_takes_no_stop_an_abbreviation_keeps_it() -> None:
    assert without_full_stop("Eventuelt, herunder færgen til Ærø.") == (
        "Eventuelt, herunder færgen til Ærø"
    )
    assert without_full_stop("Samarbejde med EU.") == "Samarbejde med EU"
    assert without_full_stop("Evt.") == "Evt."
    assert without_full_stop("Tilskud på 3 mio. kr.") == "Tilskud på 3 mio. kr."
