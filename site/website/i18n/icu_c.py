"""ICU's C API, for the two things PyICU does not wrap.

``ucal_getKeywordValuesForLocale`` (the calendars a territory prefers, CLDR's
calendarPreferenceData) and ``ulocdata_getCLDRVersion`` are stable C API that
PyICU has no binding for; they are reached here through :mod:`ctypes`, from
the same libicu PyICU was built against, and nowhere else. Everything that
uses them (:mod:`website.i18n.calendars`, :mod:`website.i18n.locale_data`)
falls back to what PyICU alone can say when the library cannot be found.
``tests/test_collation.py`` fails with a clear message if it stops being
reachable on the machines the project supports.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

import icu

__all__ = ["functions", "cldr_version"]

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=None)
def functions() -> tuple | None:
    """ICU's own C functions, from the same libicu PyICU was built against.

    PyICU wraps neither ``ucal_getKeywordValuesForLocale`` (CLDR's
    calendarPreferenceData: the calendars a territory uses) nor
    ``ulocdata_getCLDRVersion``; both are stable C API. Debian's ICU suffixes
    its symbols with the major version, which is PyICU's ICU_VERSION. When
    the library cannot be found (another ICU build), callers fall back to
    what PyICU alone can say.
    """
    major = icu.ICU_VERSION.split(".")[0]
    try:
        i18n = _load_library("icui18n", major)
        common = _load_library("icuuc", major)
        keywords = getattr(i18n, f"ucal_getKeywordValuesForLocale_{major}")
        next_ = getattr(common, f"uenum_next_{major}")
        close = getattr(common, f"uenum_close_{major}")
        cldr = getattr(i18n, f"ulocdata_getCLDRVersion_{major}")
    except (OSError, AttributeError) as error:
        log.warning("ICU's C API is not reachable (%s): calendar preferences limited", error)
        return None
    keywords.restype = ctypes.c_void_p
    keywords.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int8, ctypes.POINTER(ctypes.c_int)]
    next_.restype = ctypes.c_char_p
    next_.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_int)]
    close.restype = None
    close.argtypes = [ctypes.c_void_p]
    cldr.restype = None
    cldr.argtypes = [ctypes.c_uint8 * 4, ctypes.POINTER(ctypes.c_int)]
    return keywords, next_, close, cldr


def _load_library(name: str, major: str) -> ctypes.CDLL:
    # The exact version PyICU uses first; find_library may pick another.
    try:
        return ctypes.CDLL(f"lib{name}.so.{major}")
    except OSError:
        return ctypes.CDLL(ctypes.util.find_library(name) or f"lib{name}.so")


def cldr_version() -> str:
    """The CLDR version of ICU's data ("42"), or "unknown" without the C API."""
    c_api = functions()
    if c_api is None:
        return "unknown"
    version, status = (ctypes.c_uint8 * 4)(), ctypes.c_int(0)
    c_api[3](version, ctypes.byref(status))
    return ".".join(str(part) for part in version[:2]).removesuffix(".0")
