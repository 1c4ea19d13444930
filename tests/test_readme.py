"""The README's commands cannot go stale: every `meetings` command and flag it shows exists,
and its two set-up commands are the Makefile targets .ci/run relies on."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def subcommand_help() -> dict[str, str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {name: p.format_help() for name, p in sub.choices.items()}  # type: ignore[union-attr]


def test_every_meetings_command_and_flag_in_readme_exists() -> None:
    helps = subcommand_help()
    global_help = build_parser().format_help()
    # commands as the README shows them: in code (`meetings ...`, .venv/bin/meetings ...)
    uses = re.findall(r"(?:`|bin/|^)meetings (\w+)([^\n`]*)", README, re.M)
    assert uses, "README shows meetings commands"
    for command, rest in uses:
        assert command in helps, f"README mentions unknown command 'meetings {command}'"
        for flag in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rest):
            assert flag in helps[command] or flag in global_help, (
                f"README shows 'meetings {command} ... {flag}' but --help has no {flag}"
            )


def test_setup_commands_are_the_makefile_targets_ci_runs() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "make run" in README and "make test" in README
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == "make test"
