"""The release: every runtime dependency pinned, with its hashes, in requirements.lock
(make lock), and no development tool among them."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement

from portal.config import PROJECT_ROOT

LOCK = (PROJECT_ROOT / "requirements.lock").read_text()
PINNED = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==([^ \\\n]+)", LOCK, re.MULTILINE))
PROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_runtime_dependency_is_pinned_within_what_the_project_asks_for() -> None:
    pinned = {canonical(name): version for name, version in PINNED.items()}
    for line in PROJECT["dependencies"]:
        wanted = Requirement(line)
        assert canonical(wanted.name) in pinned, f"{wanted.name}: run make lock"
        assert wanted.specifier.contains(pinned[canonical(wanted.name)]), \
            f"{wanted.name} {pinned[canonical(wanted.name)]} is not {wanted.specifier}: make lock"


def test_every_pin_has_its_hash_and_no_development_tool_is_pinned() -> None:
    blocks = re.split(r"\n(?=[a-z0-9])", LOCK.split("\n\n", 1)[-1])
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)
    development = {canonical(Requirement(line).name)
                   for line in PROJECT["optional-dependencies"]["dev"]}
    assert not development & {canonical(name) for name in PINNED}
