"""The reloader in one process: only changed locales, loaded off the IOLoop, swapped whole."""

from __future__ import annotations

import logging
import os
import threading

import pytest

from website.app import make_app
from website.i18n.catalogs import CatalogSource
from website.i18n.reloader import CatalogReloader
from website.toolchain.cli import compile_catalogs

import catalog_builder

LOCALES = ("de", "fr", "ru")


@pytest.fixture
def setup(tmp_path):
    locale_dir = catalog_builder.build(tmp_path / "locale", LOCALES,
                                       translations={"About this site": "Об этом сайте"})
    source = CatalogSource(str(locale_dir), min_percent=0)
    catalogs, results = source.load_all()
    app = make_app(catalogs)
    calls = []
    load = source.load

    def recording_load(key, folder):
        calls.append((key, threading.current_thread().name))
        return load(key, folder)

    source.load = recording_load
    reloader = CatalogReloader(app, source, results)
    reloader.start()
    yield locale_dir, app, reloader, calls
    reloader.stop()


def _poll_until_reloaded(reloader, io_loop_runner, attempts: int = 5) -> bool:
    for _ in range(attempts):
        if io_loop_runner(reloader.poll):
            return True
    return False


def _bump(path) -> None:
    # A visible change even on file systems with coarse timestamps.
    later = os.stat(path).st_mtime_ns + 2 * 10**9
    os.utime(path, ns=(later, later))


def test_only_the_changed_locale_is_loaded_in_a_worker_thread(setup):
    import tornado.ioloop

    locale_dir, app, reloader, calls = setup
    before = app.settings["catalogs"]
    po = locale_dir / "ru" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "Об этом сайте"', 'msgstr "О сайте, новая версия"'), encoding="utf-8")
    _bump(po)
    assert compile_catalogs([str(po)]) == 0
    loop = tornado.ioloop.IOLoop.current()
    assert _poll_until_reloaded(reloader, loop.run_sync)
    after = app.settings["catalogs"]
    assert after is not before
    assert [key for key, _ in calls] == ["ru"]
    assert all(thread.startswith("catalogs") for _, thread in calls)
    assert after.get("ru").translator.translate("About this site") == "О сайте, новая версия"
    # the others are the very same objects: nothing else was read again
    assert after.get("fr") is before.get("fr") and after.get("de") is before.get("de")
    assert before.get("ru").translator.translate("About this site") == "Об этом сайте"


def test_a_failed_catalog_keeps_the_one_in_service_in_one_line(setup, caplog):
    import tornado.ioloop

    locale_dir, app, reloader, _calls = setup
    before = app.settings["catalogs"].get("de")
    mo = locale_dir / "de" / "LC_MESSAGES" / "messages.mo"
    mo.write_bytes(b"\x00 not a catalog")
    _bump(mo)
    with caplog.at_level(logging.INFO):
        assert _poll_until_reloaded(reloader, tornado.ioloop.IOLoop.current().run_sync)
    assert app.settings["catalogs"].get("de") is before
    lines = [r.getMessage() for r in caplog.records if "keeping the one in service" in r.getMessage()]
    assert len(lines) == 1 and str(mo) in lines[0] and "cannot load catalog" in lines[0]
    assert "kept previous: de" in caplog.text
