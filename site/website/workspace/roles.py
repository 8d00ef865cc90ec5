"""What an account may do in each language: the roles, and reading them from what an admin typed.

Every check of a right (the editor's handlers, translator mode, the
review) asks a :class:`User` and nothing else, so the rule of who may do
what lives here once; :mod:`~website.workspace.accounts` stores the roles
and reads them back into a :class:`User`, and ``website-admin`` checks an
admin's roles with :func:`parse_roles` before it asks for a password.

>>> maria = User(1, "maria", languages=("ru",), is_admin=False, disabled=False, suggest_only=("de",))
>>> maria.role("ru"), maria.role("de"), maria.role("fr")
('translate', 'suggest', None)
>>> maria.may("suggest", "ru"), maria.may("review", "ru")
(True, False)
>>> parse_roles("ru, pt-BR", review=["fr"], suggest_only=())
(('ru', 'pt_BR', 'fr'), ('fr',), ())
"""

from __future__ import annotations

import dataclasses

from website.i18n import tags

__all__ = ["User", "ROLES", "AccountError", "parse_roles", "roles_text"]


class AccountError(ValueError):
    """A request the accounts cannot carry out (unknown name, bad input...).

    Defined here, beneath :mod:`~website.workspace.accounts`, because
    reading roles raises it too; the accounts and ``website-admin`` raise it
    for the rest.
    """


#: What an account may do in one language, weakest first: *suggest* may
#: propose translations, *translate* may also save them, *review* may also
#: approve and reject (Pontoon's and Weblate's split).
ROLES = ("suggest", "translate", "review")


@dataclasses.dataclass(frozen=True)
class User:
    id: int
    name: str
    languages: tuple[str, ...]  # gettext ids it may translate in (and so suggest)
    is_admin: bool
    disabled: bool
    review: tuple[str, ...] = ()  # gettext ids it may also approve in (part of languages)
    suggest_only: tuple[str, ...] = ()  # gettext ids it may only suggest in

    def role(self, gettext_id: str) -> str | None:
        """``"suggest"``, ``"translate"``, ``"review"`` in that language, or None."""
        if self.disabled:
            return None
        if self.is_admin or gettext_id in self.review:
            return "review"
        if gettext_id in self.languages:
            return "translate"
        return "suggest" if gettext_id in self.suggest_only else None

    def may(self, action: str, gettext_id: str) -> bool:
        """Whether the role in that language allows ``action`` (one of :data:`ROLES`)."""
        role = self.role(gettext_id)
        return role is not None and ROLES.index(role) >= ROLES.index(action)

    def may_edit(self, gettext_id: str) -> bool:
        """Whether this account may change the catalog of ``gettext_id``."""
        return self.may("translate", gettext_id)

    @property
    def all_languages(self) -> tuple[str, ...]:
        """Every language the account has a role in."""
        return (*self.languages, *(i for i in self.suggest_only if i not in self.languages))


def parse_roles(languages, review=(), suggest_only=()) -> tuple[tuple[str, ...], ...]:
    """``(translate, review, suggest_only)`` gettext ids from tags; review implies translate.

    Each argument is tags, as a list or a comma-separated string. Raises
    :class:`AccountError` for a tag that names no language, or for one
    language both translated and only suggested in.
    """
    ids, review_ids, suggest_ids = _gettext_ids(languages), _gettext_ids(review), _gettext_ids(suggest_only)
    ids = (*ids, *(i for i in review_ids if i not in ids))
    both = [i for i in suggest_ids if i in ids]
    if both:
        raise AccountError(f"{', '.join(tags.from_gettext_id(i) or i for i in both)}: "
                           "an account may not both translate and only suggest in one language")
    return ids, review_ids, suggest_ids


def roles_text(ids, review_ids, suggest_ids) -> str:
    """The roles as the audit log records them: ``languages=ru,fr review=fr``."""
    text = f"languages={','.join(ids) or '-'}"
    if review_ids:
        text += f" review={','.join(review_ids)}"
    if suggest_ids:
        text += f" suggest-only={','.join(suggest_ids)}"
    return text


def _gettext_ids(languages) -> tuple[str, ...]:
    if isinstance(languages, str):
        languages = languages.split(",")
    ids = []
    for tag in (t.strip() for t in languages):
        if not tag:
            continue
        gettext_id = tags.to_gettext_id(tag)
        if gettext_id is None:
            raise AccountError(f"{tag!r} is not a language tag (try fr or pt-BR)")
        if gettext_id not in ids:
            ids.append(gettext_id)
    return tuple(ids)
