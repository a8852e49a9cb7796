"""Markdown for text that scenario authors write (the briefing).

Scenario files are uploaded by instructors and may come from anywhere, so their text is
untrusted: raw HTML is not passed through (``<script>`` comes out as text), and
markdown-it's own link check refuses ``javascript:`` and similar URLs. Besides CommonMark,
the GitHub-style tables and ``~~strikethrough~~`` that authors paste from other documents
are rendered (their cells are escaped like the rest).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_markdown(text: str) -> Markup:
    """CommonMark as HTML, with any HTML in the source escaped."""
    return Markup(_MARKDOWN.render(text))  # safe: raw HTML is disabled above
