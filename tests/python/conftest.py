"""
Fixtures for the Python end-to-end suite: one gateway world per test session, started by
`node scripts/e2e-gateway.mjs` (four mock providers and a real gateway loaded from the built
packages), and a validator for OpenAI's own OpenAPI schemas.

The world's script prints one JSON line when ready and exits when its stdin closes, so a
crashed pytest never leaves it running.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from jsonschema import Draft202012Validator
from openai import OpenAI

REPO_ROOT = Path(__file__).resolve().parents[2]
WORLD_SCRIPT = REPO_ROOT / "scripts" / "e2e-gateway.mjs"
# The spec lives beside the repository (see ../shared/specs/README.md); overridable for CI.
OPENAI_SPEC = Path(os.environ.get("OPENAI_OPENAPI_SPEC", REPO_ROOT.parent / "shared" / "specs" / "openai-openapi.json"))
STARTUP_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class GatewayWorld:
    base_url: str
    token: str
    aliases: list[str]
    # alias -> {"provider": ..., "model": ...}
    targets: dict[str, dict[str, str]]


def _read_ready_line(proc: subprocess.Popen[str], timeout_s: float) -> dict[str, Any]:
    """Waits for the script's one JSON line; a crash or a hang fails with its stderr."""
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            line = proc.stdout.readline()
            if line:
                return json.loads(line)
        if proc.poll() is not None:
            break
    proc.kill()
    _, stderr = proc.communicate(timeout=10)
    raise RuntimeError(f"e2e gateway did not become ready (exit {proc.returncode}):\n{stderr}")


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()  # SIGTERM: the script closes the gateway, the mocks and its temp store
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


@pytest.fixture(scope="session")
def world() -> Iterator[GatewayWorld]:
    proc = subprocess.Popen(
        ["node", str(WORLD_SCRIPT)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,  # held open for the session; closing it also stops the world
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LOG_LEVEL": os.environ.get("LOG_LEVEL", "warn")},
    )
    try:
        ready = _read_ready_line(proc, STARTUP_TIMEOUT_S)
        yield GatewayWorld(base_url=ready["baseURL"], token=ready["token"], aliases=ready["aliases"], targets=ready["targets"])
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def client(world: GatewayWorld) -> OpenAI:
    # max_retries=0: every status the SDK sees is the gateway's first answer, not a retry's.
    return OpenAI(base_url=world.base_url, api_key=world.token, max_retries=0, timeout=30)


def _rewrite_nullable(node: Any) -> Any:
    """
    The spec says OpenAPI 3.1 but still uses 3.0's `nullable: true` in places (stream chunks'
    finish_reason, usage). JSON Schema 2020-12 has no such keyword: rewrite it to its meaning.
    """
    if isinstance(node, list):
        return [_rewrite_nullable(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _rewrite_nullable(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


Validate = Callable[[str, Any], list[str]]


@pytest.fixture(scope="session")
def validate_openai() -> Validate:
    """validate_openai("CreateChatCompletionResponse", body) -> error messages ([] when valid)."""
    if not OPENAI_SPEC.is_file():
        raise FileNotFoundError(f"OpenAI OpenAPI spec not found at {OPENAI_SPEC} (set OPENAI_OPENAPI_SPEC)")
    spec = json.loads(OPENAI_SPEC.read_text(encoding="utf-8"))
    components = _rewrite_nullable(spec["components"])
    validators: dict[str, Draft202012Validator] = {}

    def validate(schema_name: str, value: Any) -> list[str]:
        if schema_name not in components["schemas"]:
            raise KeyError(f"OpenAI spec has no schema named {schema_name}")
        if schema_name not in validators:
            # Every `#/components/schemas/...` $ref resolves against this one document.
            document = {"components": components, "$ref": f"#/components/schemas/{schema_name}"}
            validators[schema_name] = Draft202012Validator(document)
        errors = validators[schema_name].iter_errors(value)
        return sorted(f"/{'/'.join(str(p) for p in e.absolute_path)} {e.message}" for e in errors)

    return validate
