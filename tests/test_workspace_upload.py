"""Uploads against the review rules, as a property over generated uploads (real catalogs, SQLite, compiling).

Whatever the upload holds (new, changed and unchanged entries, fuzzy flags
set or cleared, a base or none, values the checks refuse), a language that
hides unreviewed text never gets an unreviewed value into its compiled
catalog: every message of the ``.mo`` is the text published before or one a
reviewer approved. The end-to-end case through the real server and a
visitor's page is in test_workspace_review.py.
"""

from __future__ import annotations

import shutil
import tempfile

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st

import catalog_builder
from website.i18n.entry_ids import entry_id
from website.workspace import upload
from website.workspace.entries import InvalidInput
from website.workspace.service import Workspace

pytestmark = pytest.mark.integration

TEMPLATE = [
    polib.POEntry(msgid="Hello"),
    polib.POEntry(msgctxt="verb", msgid="Save the page"),
    polib.POEntry(msgid="Good morning, everyone"),
    polib.POEntry(msgid="weight %(weight)s", flags=["python-format"]),
    polib.POEntry(msgid="%(count)s item", msgid_plural="%(count)s items", flags=["python-format"]),
]
WORDS = ("Привет", "Сохранить страницу", "Доброе утро", "вес", "предмет", "предмета", "предметов", "")
NPLURALS = 3  # ru


def _published(path) -> dict:
    """(context, msgid) -> the text the compiled catalog serves."""
    catalog = polib.mofile(path)
    return {(m.msgctxt, m.msgid): (tuple(m.msgstr_plural[i] for i in sorted(m.msgstr_plural))
                                   if m.msgid_plural else (m.msgstr,)) for m in catalog if m.msgid}


def _form(source: polib.POEntry):
    """A generated form: a word, with the source's placeholder or without (which the checks refuse)."""
    placeholder = "%(count)s " if source.msgid_plural else "%(weight)s " if "%(weight)s" in source.msgid else ""
    return st.tuples(st.sampled_from(WORDS), st.booleans()).map(
        lambda pair: (placeholder if pair[1] and pair[0] else "") + pair[0])


def _change(source: polib.POEntry):
    forms = NPLURALS if source.msgid_plural else 1
    # None: the entry as the download has it; else its new forms and fuzzy flag
    return st.one_of(st.none(), st.tuples(st.lists(_form(source), min_size=forms, max_size=forms), st.booleans()))


_step = st.one_of(
    st.tuples(st.just("upload"), st.tuples(*(_change(s) for s in TEMPLATE)),
              st.sampled_from(["download", "none", "zero"]), st.sampled_from(["tanya", "rita"])),
    st.tuples(st.just("approve"), st.integers(0, len(TEMPLATE) - 1)),
)


def _file(workspace, changes, base: str) -> bytes:
    path = workspace.store.po_path("ru")
    with open(path, encoding="utf-8") as fp:
        text = fp.read()
    if base != "none":
        text = upload.stamp(text, workspace.history.latest_id() if base == "download" else 0)
    catalog = polib.pofile(text)
    by_id = {entry_id(e.msgctxt, e.msgid): e for e in catalog}
    for source, change in zip(TEMPLATE, changes):
        if change is None:
            continue
        forms, fuzzy = change
        entry = by_id[entry_id(source.msgctxt, source.msgid)]
        if source.msgid_plural:
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = forms[0]
        entry.flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if fuzzy else [])
    return str(catalog).encode("utf-8")


@given(st.lists(_step, min_size=1, max_size=4))
def test_no_unreviewed_value_reaches_the_compiled_catalog_of_a_language_that_hides_it(steps):
    folder = tempfile.mkdtemp(prefix="upload-property-")
    try:
        locale_dir = catalog_builder.build(f"{folder}/locale", ["ru"], template=TEMPLATE)
        workspace = Workspace.open(f"{folder}/var", locale_dir)
        workspace.review.set_publish_unreviewed("ru", False)
        mo_path = str(locale_dir / "ru" / "LC_MESSAGES" / "messages.mo")
        allowed = {key: {text} for key, text in _published(mo_path).items()}  # published before the setting
        for step in steps:
            if step[0] == "upload":
                _kind, changes, base, account = step
                upload.merge(workspace.store, "ru", _file(workspace, changes, base), account=account,
                             review=workspace.review)
            else:
                source = TEMPLATE[step[1]]
                id_ = entry_id(source.msgctxt, source.msgid)
                entry = workspace.store.get("ru", id_)
                try:
                    result = workspace.review.decide("ru", id_, True, entry["revision"], account="rita")
                except InvalidInput:  # untranslated: nothing to approve
                    continue
                if result.status == "saved" and not result.entry["fuzzy"]:
                    key = (source.msgctxt, source.msgid)
                    allowed.setdefault(key, set()).add(tuple(result.entry["translation"]))
            for key, text in _published(mo_path).items():
                assert text in allowed.get(key, set()), (key, text, step)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
