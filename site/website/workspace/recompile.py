"""Recompiling a catalog after the workspace changed it, into the server's log.

The workspace's store calls :func:`recompile` after each save (with one
path): the toolchain writes the ``.mo`` and verdict, and what it found goes
to the ``website.workspace.recompile`` logger, never to stdout.
"""

from __future__ import annotations

import logging

from website.toolchain import compiling

__all__ = ["recompile"]

log = logging.getLogger(__name__)


def recompile(paths: list[str], known: dict | None = None) -> int:
    """Compile the catalogs at ``paths`` and log the outcomes; return how many failed.

    ``known``: the texts and parses the store holds
    (:func:`website.toolchain.compiling.compile_catalogs`).
    """
    compilation = compiling.compile_catalogs(paths, known=known)
    if compilation.template_problem:
        log.warning("%s; catalogs are counted without it", compilation.template_problem)
    for outcome in compilation.outcomes:
        for is_error, line in outcome.messages():
            log.log(logging.WARNING if is_error else logging.INFO, "%s", line)
    return sum(1 for outcome in compilation.outcomes if not outcome.ok)
