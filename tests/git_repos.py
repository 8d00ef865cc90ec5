"""Real git for the tests, run as a developer would (the ``git`` program, never a library).

The identity is given on each call, so the tests need no global git
configuration on the machine that runs them.
"""

from __future__ import annotations

import subprocess

__all__ = ["run_git", "git", "upstream_and_clone"]

IDENTITY = ["-c", "user.name=Dev", "-c", "user.email=dev@example.org"]


def run_git(cwd, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``git args`` in ``cwd``; with ``check``, a failure is an assertion naming the command."""
    result = subprocess.run(["git", *IDENTITY, *args], cwd=cwd, capture_output=True, text=True)
    if check and result.returncode:
        raise AssertionError(f"git {' '.join(args)}: {result.stdout}{result.stderr}")
    return result


def git(cwd, *args: str) -> str:
    """``git args`` in ``cwd``, which must succeed: its output, stripped."""
    return run_git(cwd, *args).stdout.strip()


def upstream_and_clone(tmp_path, name: str):
    """A bare ``upstream.git`` (branch main) under ``tmp_path`` and a clone of it named ``name``."""
    upstream = tmp_path / "upstream.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(upstream))
    clone = tmp_path / name
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    return upstream, clone
