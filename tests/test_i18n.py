"""The interface's languages: each person's choice, the browser's, the catalogues."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import i18n
from app.config import Settings
from app.i18n import current_language, gettext, negotiate, use_language
from app.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]


def _catalogue_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_is_translated_and_every_catalogue_compiles() -> None:
    assert _catalogue_tool().problems() == []


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,fr;q=0.5", "fr"),
        ("de-DE,es;q=0.5", "en"),
        ("fr;q=0, en", "en"),
        ("fr;q=nonsense", "en"),
        ("", "en"),
    ],
)
def test_the_browsers_languages_choose_ours(header: str, language: str) -> None:
    assert negotiate(header) == language


def test_a_message_follows_the_language_in_use() -> None:
    assert gettext("Language") == "Language"
    with use_language("fr-FR"):
        assert current_language() == "fr"
        assert gettext("Language") == "Langue"
    with use_language("klingon"):
        assert current_language() == "en"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'e.db'}",
        secret_key="test-secret-key",
        var_dir=tmp_path / "var",
    )
    from app.store.migrations import upgrade

    upgrade(settings.database_url)
    return TestClient(create_app(settings), follow_redirects=False)


def test_each_person_reads_the_pages_in_their_language(client: TestClient) -> None:
    with client:
        english = client.get("/").text
        assert '<html lang="en">' in english and "coalition crisis exercise" in english
        french = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).text
        assert '<html lang="fr">' in french and "exercice de crise en coalition" in french
        # The switch: remembered for the session, over what the browser says.
        switched = client.get("/language", params={"lang": "fr", "next": "/login"})
        assert switched.status_code == 303 and switched.headers["location"] == "/login"
        assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "en"}).text
        # An unknown language changes nothing; a next address off the site goes home.
        kept = client.get("/language", params={"lang": "xx", "next": "//elsewhere.example"})
        assert kept.headers["location"] == "/"
        assert '<html lang="fr">' in client.get("/").text


def test_a_kept_number_is_written_as_its_own_value_not_an_equal_one() -> None:
    # -0.0 == 0.0 and 1 == 1.0 == True: a cache keyed by equality would give one the
    # other's text (Babel writes "-0" and "0").
    with i18n.use_language("en"):
        assert i18n.format_number(-0.0) == "-0"
        assert i18n.format_number(0.0) == "0"
        assert i18n.format_share(-0.0) == "-0%"
        assert i18n.format_share(0.0) == "0%"


def test_use_language_sets_both_languages_for_its_block_and_restores_them_nested() -> None:
    from app.rules.wording.base import gettext as rules_gettext

    assert current_language() == "en"
    with use_language("fr-CA") as outer:
        assert outer == current_language() == "fr"
        french = rules_gettext("unit")
        assert french != "unit"
        with use_language("xx") as inner:  # not spoken: the default
            assert inner == current_language() == "en"
            assert rules_gettext("unit") == "unit"
        assert current_language() == "fr" and rules_gettext("unit") == french
    assert current_language() == "en" and rules_gettext("unit") == "unit"
    with pytest.raises(RuntimeError), use_language("fr"):
        raise RuntimeError("left by an error")
    assert current_language() == "en" and rules_gettext("unit") == "unit"


def test_speaking_says_each_language_with_its_own_translator() -> None:
    from app.rules.wording.base import gettext as rules_gettext
    from app.rules.wording.base import speaking

    with speaking("fr", lambda m: f"A:{m}"):
        assert rules_gettext("x") == "A:x"
    with speaking("fr", lambda m: f"B:{m}"):  # the same language, another translator
        assert rules_gettext("x") == "B:x"
    shout = str.upper
    with speaking("en", shout), speaking("de", lambda m: f"C:{m}"):
        assert rules_gettext("x") == "C:x"
    with speaking("en", shout):  # the same pair again: the same words
        assert rules_gettext("x") == "X"
