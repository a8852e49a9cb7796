"""Templates are compiled once and kept in production; reloaded on change only when asked."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from app.config import Settings
from app.web.container import build_container
from app.web.rendering import make_templates


def _edit(path: Path, text: str) -> None:
    path.write_text(text)
    stat = path.stat()  # a later modification time, whatever the file system's resolution
    os.utime(path, (stat.st_atime + 10, stat.st_mtime + 10))


@pytest.mark.parametrize("reload", [False, True])
def test_a_changed_template_file_is_read_again_only_when_reloading(
    tmp_path: Path, reload: bool
) -> None:
    page = tmp_path / "page.html"
    page.write_text("first")
    templates = make_templates(tmp_path, reload=reload)
    assert templates.get_template("page.html").render() == "first"
    _edit(page, "second")
    assert templates.get_template("page.html").render() == ("second" if reload else "first")


def test_the_application_reloads_templates_only_when_its_setting_says_so(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'entente.db'}"
    for setting in (False, True):
        container = build_container(Settings(database_url=url, reload_templates=setting))
        try:
            assert container.renderer.templates.env.auto_reload is setting
        finally:
            container.database.dispose()
    assert Settings(database_url=url).reload_templates is False


@pytest.mark.parametrize("language", ["en", "fr"])
def test_template_texts_read_as_jinjas_own_gettext_writes_them(language: str) -> None:
    """The kept template texts: the same output as Jinja's newstyle gettext, escaped
    and formatted alike (`%%` reads as `%`, variables are escaped), in each language."""
    from jinja2 import Environment

    from app import i18n
    from app.web.rendering import _template_ngettext

    ours = make_templates().env
    jinjas = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    jinjas.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, _template_ngettext, newstyle=True
    )
    source = (
        '{{ _("Orders") }}|{{ _("100%% sure") }}|{{ gettext("Orders") }}|'
        '{{ _("%(name)s joined", name="<b>") }}|{% trans %}Orders{% endtrans %}'
    )
    with i18n.use_language(language):
        for _ in range(2):  # the first time writes the kept text, the second reads it
            expected = jinjas.from_string(source).render()
            assert ours.from_string(source).render() == expected
    assert "&lt;b&gt;" in expected and "100% sure" in expected


# Words a template may write as they are: formats, the product's name, YAML field names
# and code (the CLI's `entente import`, an htmx header's name).
TECHNICAL = {"JSON", "CSV", "CSRF", "Token", "headers", "hx", "Entente", "API", "yaml"}
TECHNICAL |= {"entente", "import", "kind", "target", "value", "text"}


def _words_written_in_place(template: str) -> set[str]:
    """The words of a template's text that no `_()` wraps: what is left once comments, tags,
    expressions, scripts, styles and markup are taken out."""
    text = re.sub(r"\{#.*?#\}", " ", template, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&[a-z]+;", " ", text)
    return set(re.findall(r"[A-Za-z][A-Za-z']{2,}", text))


def test_no_template_writes_words_outside_the_catalogue() -> None:
    # A word written in place stays English on a French page (issue 21).
    templates = Path(__file__).resolve().parents[2] / "templates"
    found = {
        str(path.relative_to(templates)): sorted(words - TECHNICAL)
        for path in sorted(templates.rglob("*.html"))
        if (words := _words_written_in_place(path.read_text(encoding="utf-8"))) - TECHNICAL
    }
    assert found == {}
    assert _words_written_in_place("<p>{{ _('Ready') }} Turn {{ n }}</p>") == {"Turn"}
