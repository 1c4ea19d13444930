"""A timeline entry's decision says what the body did (:mod:`assistant.decisionnote`)."""

from __future__ import annotations

from assistant.decisionnote import decision_note

DECISION = ("Formanden gav en kort status på forhandlingerne med regionen. "
            "Udvalget godkendte indstillingerne. Sagen genoptages i juni.")


def test_the_quote_runs_on_to_what_was_decided() -> None:
    first = "Formanden gav en kort status på forhandlingerne med regionen."
    assert decision_note(DECISION, first) == (
        "Formanden gav en kort status på forhandlingerne med regionen. "
        "Udvalget godkendte indstillingerne.")


def test_a_quote_that_says_what_was_done_stays_as_it_is() -> None:
    assert decision_note("Taget til efterretning. Bo Holm deltog ikke.",
                         "Taget til efterretning.") == "Taget til efterretning."
    noted = "Udvalget tog orienteringen om stierne til efterretning."
    assert decision_note(noted + " Formanden takkede.", noted) == noted


def test_a_decision_without_an_operative_word_keeps_its_first_sentence() -> None:
    said = "Der var en drøftelse af sagen. Formanden takkede for oplægget."
    assert decision_note(said, "Der var en drøftelse af sagen.") == "Der var en drøftelse af sagen."
