"""Live reload of catalogs: new strings are served without a restart.

Tornado cannot reload a catalog (its ``Locale._cache`` and the stdlib's
``gettext._translations`` keep the first one forever), so each process polls
the modification times of the catalog files and, when they change, builds a
whole new :class:`~website.i18n.catalogs.Catalogs` and swaps it into the
application settings in one assignment.

Why polling rather than a signal: ``make compile`` needs no knowledge of the
running processes or their pids, it works the same with one process, many
forked workers or several hosts sharing a volume, and stat-ing a few dozen
files twice a second costs nothing. A change is applied once the files have
stayed the same for one poll, so a catalog caught half-written is not read;
with the 0.5 s interval a change is live within about 1.5 s.

Requests never see a mix: a handler takes the catalogs object once
(:attr:`BaseHandler.catalogs`) and keeps it for the whole request, and the
swap happens between callbacks on the IOLoop. A locale whose new catalog
fails to load keeps its previous one, with a log line saying why.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Callable, Sequence

import tornado.ioloop
import tornado.web

from website.i18n.catalogs import Catalogs

__all__ = ["CatalogReloader", "POLL_SECONDS"]

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
_PATTERNS = ("*/LC_MESSAGES/*.mo", "*/LC_MESSAGES/*.po", "*.pot")


class CatalogReloader:
    """Polls catalog files and swaps ``app.settings["catalogs"]`` when they change."""

    def __init__(
        self,
        app: tornado.web.Application,
        load: Callable[[], Catalogs],
        directories: Sequence[str],
        interval: float = POLL_SECONDS,
    ):
        self.app = app
        self.load = load
        self.directories = [d for d in directories if d]
        self.interval = interval
        self._loaded = self._signature()
        self._seen = self._loaded
        self._callback: tornado.ioloop.PeriodicCallback | None = None

    def start(self) -> None:
        self._callback = tornado.ioloop.PeriodicCallback(self.poll, self.interval * 1000)
        self._callback.start()

    def stop(self) -> None:
        if self._callback is not None:
            self._callback.stop()

    def poll(self) -> bool:
        """Reload if the files changed and have settled; True if a reload happened."""
        current = self._signature()
        settled = current == self._seen
        self._seen = current
        if current == self._loaded or not settled:
            return False
        self._loaded = current
        self.reload()
        return True

    def reload(self) -> None:
        old: Catalogs = self.app.settings["catalogs"]
        try:
            fresh = self.load()
        except Exception:  # noqa: BLE001 - a reload must never take the site down
            log.exception("catalog reload failed; the previous catalogs stay in service")
            return
        kept = [locale for locale in old if locale.info.tag not in fresh]
        for locale in kept:
            log.warning(
                "catalog for %s did not load (see above); keeping the one in service",
                locale.info.tag,
            )
        if kept:
            order = {tag: index for index, tag in enumerate(old.tags)}
            merged = sorted([*fresh, *kept], key=lambda l: order.get(l.info.tag, len(order)))
            fresh = Catalogs(merged, default=fresh.default)
        self.app.settings["catalogs"] = fresh
        log.info("catalogs reloaded: %s", ", ".join(fresh.tags))

    def _signature(self) -> tuple:
        entries = []
        for directory in self.directories:
            for pattern in _PATTERNS:
                for path in glob.glob(os.path.join(directory, pattern)):
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue
                    entries.append((path, stat.st_mtime_ns, stat.st_size))
        return tuple(sorted(entries))
