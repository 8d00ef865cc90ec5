"""Prefixed pages: the path alone decides, fix-up redirects, 404s in the language, ETags."""

from __future__ import annotations


import pytest

from website.handlers import caching

from site_case import CATALOGS, DEFAULT, OTHER, Elements, SiteTestCase, regional_alias, vary


class PrefixTest(SiteTestCase):
    """On a prefixed URL the path alone decides the language."""

    def test_every_page_in_every_locale_ignores_cookie_and_header(self):
        for tag in CATALOGS.tags:
            for path in ("/", "/languages", "/languages/ru", "/about", "/translations"):
                response, html = self.text(f"/{tag}{path}", {"Accept-Language": DEFAULT if tag != DEFAULT else OTHER,
                                                             "Cookie": f"lang={OTHER}"})
                assert response.code == 200, (tag, path)
                assert f'<html lang="{tag}"' in html
                assert response.headers["Content-Language"] == tag
                assert not {"Accept-Language", "Cookie"} & vary(response), (tag, path)
                assert "Set-Cookie" not in response.headers
                assert response.headers["Cache-Control"] == "public, max-age=60, s-maxage=600"
                assert response.headers["Etag"].startswith('"')

    def test_fix_up_table(self):
        table = [(OTHER.upper() if OTHER.upper() != OTHER else OTHER.lower(), OTHER, 301)]
        # a regional tag that is not offered maps to its language (fr-FR -> fr)
        aliases = [(regional_alias(tag), tag) for tag in CATALOGS.tags if regional_alias(tag)]
        table.append((*aliases[0], 302))
        if "he" in CATALOGS.tags:
            table.append(("iw", "he", 302))
        if "pt-BR" in CATALOGS.tags:
            table += [("pt_br", "pt-BR", 302), ("PT-br", "pt-BR", 301)]
        for raw, tag, status in table:
            for rest, query in (("/", ""), ("/about", "?x=1&y=%C3%A9")):
                with self.subTest(raw=raw, rest=rest):
                    response = self.get(f"/{raw}{rest}{query}", {"Accept-Language": DEFAULT})
                    assert response.code == status
                    assert response.headers["Location"] == f"/{tag}{rest}{query}"
                    assert "Set-Cookie" not in response.headers
                    assert not {"Accept-Language", "Cookie"} & vary(response)
                    assert response.headers["Cache-Control"].startswith("private, max-age=")
        response = self.get(f"/{OTHER}")
        assert response.code == 301 and response.headers["Location"] == f"/{OTHER}/"

    def test_unknown_prefix_is_a_negotiated_404(self):
        response, html = self.text("/tlh/about", {"Accept-Language": OTHER})
        assert response.code == 404 and f'<html lang="{OTHER}"' in html
        assert {"Accept-Language", "Cookie"} <= vary(response)

    def test_unknown_page_under_a_valid_prefix_is_a_404_in_that_language(self):
        translated = CATALOGS.get(OTHER).translator.translate("Page not found")
        for path in (f"/{OTHER}/no/such/page", f"/{OTHER}/languages/tlh", f"/{OTHER}/abou"):
            with self.subTest(path=path):
                response, html = self.text(path, {"Accept-Language": DEFAULT})
                assert response.code == 404
                assert response.headers["Content-Language"] == OTHER
                assert f'<html lang="{OTHER}"' in html and translated in html
                assert not {"Accept-Language", "Cookie"} & vary(response)
                assert response.headers["Cache-Control"] == "private, max-age=60"

    def test_lang_in_the_query_of_a_prefixed_page_changes_nothing(self):
        response, html = self.text(f"/{OTHER}/about?lang={DEFAULT}")
        assert response.code == 200 and f'<html lang="{OTHER}"' in html
        assert "Set-Cookie" not in response.headers

    def test_only_canonical_urls_are_for_shared_caches(self):
        table = [
            (f"/{OTHER}/about", caching.PAGE),
            (f"/{OTHER}/about?utm_source=x", caching.UNSHARED),
            (f"/{OTHER}/about?", caching.PAGE),
            (f"/{OTHER}/languages?page=2", caching.PAGE),
            (f"/{OTHER}/languages?page=1", caching.UNSHARED),
            (f"/{OTHER}/languages?page=02", caching.UNSHARED),
            (f"/{OTHER}/languages?page=2&x=", caching.UNSHARED),
            (f"/{OTHER}/languages?q=an", caching.UNSHARED),
        ]
        for path, expected in table:
            with self.subTest(path=path):
                response = self.get(path)
                assert response.code == 200
                assert response.headers["Cache-Control"] == expected
        _, html = self.text(f"/{OTHER}/languages?page=2")
        (previous,) = Elements(html).find("a", rel="prev")
        assert previous["href"] == f"/{OTHER}/languages"

    def test_etag_and_304(self):
        first = self.get(f"/{OTHER}/about")
        again = self.get(f"/{OTHER}/about", {"If-None-Match": first.headers["Etag"]})
        assert again.code == 304 and again.body == b""
        other = self.get(f"/{OTHER}/about", {"If-None-Match": '"something-else"'})
        assert other.code == 200 and other.body == first.body


def test_only_prefixed_handlers_can_be_pages():
    from website.app import Page
    from website.handlers.languages import LanguagesJsonHandler

    with pytest.raises(TypeError):
        Page("json", r"/languages\.json", LanguagesJsonHandler)
