"""The shared input rules (assistant/validate.py) and follow-up questions
(assistant/followup.py), and the CLI applying the same rules as the API (exit 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.answer import MAX_QUESTION_CHARS
from assistant.followup import followup_search_text, is_followup
from assistant.validate import MAX_K, InputError, check_body, validate_ask

BODIES = ["KD-Net", "KKR Midtjylland"]


# --- validate_ask ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kwargs", "field", "needle"),
    [
        ("", {}, "question", "tomt"),
        ("   \n\t ", {}, "question", "tomt"),
        ("?!… -- ...", {}, "question", "hverken bogstaver eller tal"),
        ("x" * (MAX_QUESTION_CHARS + 1), {}, "question", f"højst {MAX_QUESTION_CHARS}"),
        ("klima\x00", {}, "question", "U+0000"),
        ("klima \x1b[31m", {}, "question", "U+001B"),
        ("klima \ud800", {}, "question", "U+D800"),
        ("klima", {"k": 0}, "k", f"mellem 1 og {MAX_K}"),
        ("klima", {"k": MAX_K + 1}, "k", f"mellem 1 og {MAX_K}"),
        ("klima", {"date_from": "2023-13-01"}, "from", "ikke en dato"),
        ("klima", {"date_to": "i går"}, "to", "ikke en dato"),
        ("klima", {"date_from": "2024-01-01", "date_to": "2023-12-31"}, "to", "før"),
        ("klima", {"doc_type": "protokol"}, "doc_type", "dagsorden eller referat"),
        ("klima", {"body": "Byrådet"}, "body", "KD-Net, KKR Midtjylland"),
        ("klima", {"body": "x" * 201}, "body", "højst 200"),
        ("klima", {"section": "Beslutning\x00"}, "section", "U+0000"),
        ("klima", {"section": "\udc80"}, "section", "U+DC80"),
    ],
)
def test_each_rule_names_its_field(
    question: str, kwargs: dict[str, Any], field: str, needle: str
) -> None:
    with pytest.raises(InputError) as refused:
        validate_ask(question, bodies=BODIES, **kwargs)
    assert refused.value.field == field
    assert needle in refused.value.message()
    assert str(refused.value).startswith(f"{field}: ")


def test_message_follows_the_question_language() -> None:
    with pytest.raises(InputError) as refused:
        validate_ask("What was decided about the climate?", k=0)
    assert refused.value.message() == f"k is 0; it must be between 1 and {MAX_K}"
    assert "mellem" in refused.value.message("da")


def test_good_input_is_normalised() -> None:
    ok = validate_ask("  Hvad blev besluttet om KlimaMidt?\n", k=MAX_K, body="kd-net",
                      date_from="01-02-2023", date_to="2023-02-01", doc_type="referat",
                      section=" Beslutning ", bodies=BODIES)
    assert ok.question == "Hvad blev besluttet om KlimaMidt?"
    assert ok.body == "KD-Net"  # letter case forgiven, the stored spelling used
    assert (ok.date_from, ok.date_to) == ("2023-02-01", "2023-02-01")  # one day is a range
    assert (ok.k, ok.doc_type, ok.section) == (MAX_K, "referat", "Beslutning")
    # tabs and line breaks come with pasted text; a question of digits is a question
    assert validate_ask("klima\tog\r\nmiljø").question == "klima\tog\r\nmiljø"
    assert validate_ask("2023").question == "2023"
    assert validate_ask("x" * MAX_QUESTION_CHARS).question == "x" * MAX_QUESTION_CHARS


def test_body_is_only_checked_against_a_known_index() -> None:
    assert validate_ask("klima", body=" Byrådet ").body == "Byrådet"  # bodies unknown yet
    with pytest.raises(InputError, match="ingen organer"):
        check_body("KD-Net", [])
    many = [f"Udvalg {i:02d}" for i in range(30)]
    with pytest.raises(InputError) as refused:
        check_body("Udvalg 99", many)
    assert "Udvalg 00" in str(refused.value) and "Udvalg 29" not in str(refused.value)
    assert str(refused.value).endswith("…)")


def test_input_error_is_a_value_error() -> None:
    # the CLI turns ValueError into exit code 2; InputError must be one
    assert issubclass(InputError, ValueError)


# --- follow-up questions ----------------------------------------------------------------

TOPIC = "Hvad blev besluttet om KlimaMidt?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("og hvad skete der i 2025?", f"{TOPIC} og hvad skete der i 2025?"),
        ("and in 2025?", f"{TOPIC} and in 2025?"),
        ("i 2024?", f"{TOPIC} i 2024?"),
        ("Hvad med KD-Net?", f"{TOPIC} Hvad med KD-Net?"),
        ("Hvad blev besluttet om lånepuljen?", None),
        ("What about the budget for 2024?", f"{TOPIC} What about the budget for 2024?"),
        ("i marts?", f"{TOPIC} i marts?"),
    ],
)
def test_follow_up_search_text(question: str, expected: str | None) -> None:
    previous = [TOPIC, "og i 2023?"]  # the last standalone question is the topic
    assert followup_search_text(question, previous) == expected
    assert followup_search_text(question, []) is None


def test_a_held_body_alone_is_a_follow_up() -> None:
    words = frozenset({"økonomiudvalget"})
    assert not is_followup("økonomiudvalget?")
    assert is_followup("økonomiudvalget?", words)
    assert followup_search_text("økonomiudvalget?", [TOPIC], words) == f"{TOPIC} økonomiudvalget?"


def test_app_keeps_the_names_its_callers_import() -> None:
    import app
    from web.api import _InFlight

    assert app.followup_search_text is followup_search_text
    assert app._InFlight is _InFlight
    assert callable(app.create_app) and callable(app.serve)


# --- the CLI applies the same rules -----------------------------------------------------


@pytest.fixture(scope="module")
def cli_services(
    tmp_path_factory: pytest.TempPathFactory, services_factory: Any, sample_dir: Path
) -> Any:
    """The samples embedded by the fast fake embedder (the CLI's body check reads them)."""
    from vectorstore.embedder import HashEmbedder

    services = services_factory(tmp_path_factory.mktemp("cli") / "index", HashEmbedder())
    assert services.ingestor.ingest([sample_dir]).ingested == 5
    return services


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["ask", "   "], "question: spørgsmålet er tomt"),
        (["ask", "?!?"], "question: spørgsmålet har hverken bogstaver eller tal"),
        (["ask", "x" * (MAX_QUESTION_CHARS + 1)], "question:"),
        (["ask", "klima\x07"], "question: spørgsmålet indeholder et kontroltegn (U+0007)"),
        (["ask", "klima", "--k", "0"], "k: k er 0"),
        (["ask", "klima", "--k", "500"], "k: k er 500"),
        (["ask", "klima", "--body", "Byrådet"], "body: 'Byrådet' er ikke et organ"),
        (["ask", "klima", "--from", "2024-01-01", "--to", "2023-01-01"], "to: perioden slutter"),
        (["ask", "klima", "--from", "31-31-2023"], "from: '31-31-2023' er ikke en dato"),
        (["ask", "What was decided?", "--k", "0"], "k: k is 0"),
    ],
)
def test_cli_ask_refuses_bad_input_with_exit_2(
    cli_services: Any, capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    from assistant.cli import main

    assert main(argv, services=cli_services) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("meetings ask: error: ") and needle in captured.err


def test_cli_ask_accepts_the_body_in_any_letter_case(
    cli_services: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from assistant.cli import main

    assert main(["ask", "klima", "--body", "kd-net", "--json"], services=cli_services) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert results and {r["meeting"]["body"] for r in results} == {"KD-Net"}


def test_validate_imports_nothing_from_the_web_layer() -> None:
    root = Path(__file__).resolve().parents[1]
    for path in (root / "assistant").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import web" not in text and "from web" not in text, path
        assert "from app" not in text and "import app\n" not in text, path
