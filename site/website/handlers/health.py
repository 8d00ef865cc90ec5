"""``GET /healthz``: what this host serves, for operators and load balancers.

``{"status": "ok", "catalogs": {"revision": "<commit or null>", "locales": N,
"loaded_at": "<ISO 8601, UTC>"}}``: the git commit the catalogs on disk come
from (:mod:`website.i18n.revision`), how many locales are served, and when
the catalogs in service were loaded. Comparing ``revision`` across hosts
shows that every host serves the same catalogs. Never cached
(``private, no-store``: the default of an unprefixed handler).
"""

from __future__ import annotations

import datetime as dt
import json

from website.handlers.base import BaseHandler
from website.i18n.revision import read_revision

__all__ = ["HealthHandler"]


class HealthHandler(BaseHandler):
    def get(self) -> None:
        catalogs = self.catalogs
        loaded_at = dt.datetime.fromtimestamp(catalogs.loaded_at, dt.timezone.utc)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({
            "status": "ok",
            "catalogs": {
                "revision": read_revision(self.settings["locale_dir"]),
                "locales": len(catalogs),
                "loaded_at": loaded_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
            },
        }))
