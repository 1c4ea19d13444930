"""The ``meetings`` console script: its entry point is ``app.main`` (above web/), the command
table is ``assistant.cli``'s alone, and ``python -m assistant`` names where the web app's
commands run instead of reaching up for them."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import app
from assistant import cli
from assistant.settings import Services, Settings

REPO = Path(__file__).resolve().parents[1]


def test_the_console_script_is_app_main_and_app_is_installed() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["meetings"] == "app:main"
    assert "app" in project["tool"]["setuptools"]["py-modules"]


def test_one_help_lists_every_command_the_web_ones_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as done:
        app.main(["--help"])
    assert done.value.code == 0
    listed = capsys.readouterr().out
    for command in ("ingest", "ask", "serve", "user", "watch"):
        assert f"    {command} " in listed, command


def test_assistant_alone_says_where_the_web_commands_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = Services(Settings.from_env(db_dir=str(tmp_path / "db")))
    assert cli.main(["serve", "--port", "1"], services) == 2
    err = capsys.readouterr().err
    assert "meetings serve: error:" in err and "`meetings serve`" in err
    assert "python -m app serve" in err
    assert cli.main(["user", "add", "x", "--no-password"], services) == 2
    assert "`meetings user`" in capsys.readouterr().err


def test_serve_runs_the_web_app_with_the_parsed_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[dict[str, Any]] = []
    monkeypatch.setattr(app, "serve", lambda **kw: served.append(kw))
    services = Services(Settings.from_env(db_dir=str(tmp_path / "db")))
    argv = ["serve", "--host", "0.0.0.0", "--port", "8123", "--auth", "ann:pw:x"]
    assert app.main(argv, services) == 0
    assert served == [{"host": "0.0.0.0", "port": 8123, "services": services,
                       "auth": ("ann", "pw:x")}]
    assert app.main(["serve", "--auth", "nopassword"], services) == 2
    assert "--auth must look like user:password" in capsys.readouterr().err
    assert len(served) == 1


def test_every_command_starts_without_loading_the_web_stack() -> None:
    """Importing the entry point must not cost the web app's imports (seconds) for
    ``meetings ask`` and the other archive commands."""
    code = "import sys, app; print(sorted({'gradio', 'fastapi', 'web'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"
    assert app.__getattr__("AppCore").__module__ == "web.core"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        app.__getattr__("nothing")
