"""Live reload of catalogs: new strings are served without a restart, and nobody waits.

Tornado cannot reload a catalog (its ``Locale._cache`` and the stdlib's
``gettext._translations`` keep the first one forever), so each process polls
the catalog folders, loads the locales whose files changed in a worker
thread, and swaps a new :class:`~website.i18n.catalogs.Catalogs` into the
application settings in one assignment on the IOLoop.

- Polling rather than a signal: ``make compile`` (or the translator
  workspace) needs no knowledge of the running processes, and it works the
  same with one process, forked workers or several hosts sharing a volume.
  Stat-ing three files per locale twice a second costs little.
- A change is applied once the files have stayed the same for one poll, so a
  catalog caught half-written is not read; with the 0.5 s interval a change
  is live within about 1.5 s.
- Only the locales whose ``.mo``, verdict or ``.po`` changed are loaded
  again, and from their ``.mo`` and verdict only (never a ``.po``).
- The loading runs in a thread, off the IOLoop: requests keep being served
  meanwhile. Many changed locales are loaded and swapped in batches of
  :data:`BATCH`, so memory holds a batch twice at most, not every catalog.
  Requests never see a mix: a handler takes the catalogs object once
  (:attr:`BaseHandler.catalogs`) and keeps it for the whole request.
- A locale whose new catalog fails keeps its previous one in service, with
  one log line saying why.
"""

from __future__ import annotations

import concurrent.futures
import logging
import sys
import time
from collections.abc import Callable

import tornado.ioloop
import tornado.web

from website.i18n.catalogs import Catalogs, CatalogSource, Loaded, LocaleStatus

__all__ = ["CatalogReloader", "POLL_SECONDS"]

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
# Locales loaded, then swapped in, at a time.
BATCH = 10


class CatalogReloader:
    """Polls catalog folders and swaps ``app.settings["catalogs"]`` when they change.

    ``results`` are the per-folder results the current catalogs were built
    from (:meth:`CatalogSource.load_all` returns them).
    """

    def __init__(
        self,
        app: tornado.web.Application,
        source: CatalogSource,
        results: dict[str, Loaded],
        interval: float = POLL_SECONDS,
        on_swap: Callable[[Catalogs], None] | None = None,
    ):
        self.app = app
        self.source = source
        self.interval = interval
        self.on_swap = on_swap
        self._results = dict(results)
        self._folders = source.folders()
        # Signatures taken before the files were read: a change made while
        # loading is seen at the first poll.
        self._loaded = {key: result.signature for key, result in results.items()}
        self._seen = dict(self._loaded)
        self._source_locale = app.settings["catalogs"].get("en") if "en" in app.settings["catalogs"] else None
        self._callback: tornado.ioloop.PeriodicCallback | None = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._busy = False

    def start(self) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="catalogs")
        self._callback = tornado.ioloop.PeriodicCallback(self.poll, self.interval * 1000)
        self._callback.start()

    def stop(self) -> None:
        if self._callback is not None:
            self._callback.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=False)

    def changed(self) -> dict[str, str]:
        """The folders whose files changed and then stayed the same for one poll."""
        self._folders = folders = self.source.folders()
        current = {key: self.source.signature(folder) for key, folder in folders.items()}
        settled = {key for key, signature in current.items() if self._seen.get(key) == signature}
        gone = set(self._loaded) - set(current)
        self._seen = current
        changed = {key: folders[key] for key in settled if current[key] != self._loaded.get(key)}
        for key in gone:
            changed[key] = ""  # the folder disappeared: drop the locale
        return changed

    async def poll(self) -> bool:
        """Reload the changed locales, off the IOLoop; True if a reload happened."""
        if self._busy:
            return False
        changed = self.changed()
        if not changed:
            return False
        self._busy = True
        outcome: dict[str, list[str]] = {"reloaded": [], "kept": [], "dropped": []}
        try:
            loop = tornado.ioloop.IOLoop.current()
            keys = sorted(changed)
            # In batches: each one swapped in as soon as it is loaded, so the
            # catalogs it replaces are freed before the next batch is read
            # (memory grows by a batch, not by every catalog twice).
            for start in range(0, len(keys), BATCH):
                batch = {key: changed[key] for key in keys[start : start + BATCH]}
                fresh = await loop.run_in_executor(self._executor, self._load, batch)
                for name, done in self._apply(fresh).items():
                    outcome[name] += done
        except Exception:  # noqa: BLE001 - a reload must never take the site down
            log.exception("catalog reload failed; the catalogs in service stay")
        finally:
            self._busy = False
        log.info("catalogs reloaded: %s%s%s; serving %d locales",
                 ", ".join(outcome["reloaded"]) or "none",
                 f"; kept previous: {', '.join(outcome['kept'])}" if outcome["kept"] else "",
                 f"; removed: {', '.join(outcome['dropped'])}" if outcome["dropped"] else "",
                 len(self.app.settings["catalogs"]))
        return True

    def _load(self, changed: dict[str, str]) -> dict[str, tuple[tuple, Loaded | None]]:
        # Runs in the worker thread: file reads, .mo parsing, CLDR metadata.
        # Parsing is Python code holding the GIL: the IOLoop thread, when it
        # wants it back, waits up to the switch interval (5 ms by default)
        # each time. While loading, the interval is 1 ms, and the thread
        # pauses between locales, so requests go first.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, 0.001))
        try:
            fresh = {}
            for key, folder in changed.items():
                if not folder:
                    fresh[key] = (None, None)
                    continue
                signature = self.source.signature(folder)
                fresh[key] = (signature, self.source.load(key, folder))
                time.sleep(0.001)
            return fresh
        finally:
            sys.setswitchinterval(interval)

    def _apply(self, fresh: dict) -> dict[str, list[str]]:
        # Runs on the IOLoop: a few dictionary operations, then one assignment.
        results = dict(self._results)
        reloaded, kept, dropped = [], [], []
        for key, (signature, loaded) in fresh.items():
            if loaded is None:
                results.pop(key, None)
                self._loaded.pop(key, None)
                dropped.append(key)
                continue
            self._loaded[key] = signature
            previous = results.get(key)
            if loaded.locale is None and previous is not None and previous.locale is not None:
                # A catalog that fails keeps the one in service, and says why once.
                log.error("%s; keeping the one in service", loaded.problem or loaded.status.note)
                results[key] = Loaded(
                    LocaleStatus(
                        key, loaded.status.verdict or previous.status.verdict, True,
                        f"kept the previous catalog: {loaded.status.note}", loaded.status.po_path),
                    previous.locale,
                )
                kept.append(key)
                continue
            if loaded.problem:
                (log.warning if loaded.locale is not None else log.error)("%s", loaded.problem)
            results[key] = loaded
            reloaded.append(key)
        self._results = results
        catalogs = self.source.assemble(results, self._source_locale)
        self.app.settings["catalogs"] = catalogs
        if self.on_swap is not None:
            self.on_swap(catalogs)
        return {"reloaded": reloaded, "kept": kept, "dropped": dropped}
