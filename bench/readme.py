"""The tables the benchmarks write into bench/README.md, each between its own markers."""

from __future__ import annotations

import textwrap
from pathlib import Path

README = Path(__file__).with_name("README.md")
WIDTH = 90  # bench/README.md's prose


def markers(tag: str) -> tuple[str, str]:
    return f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"


def write_block(
    tag: str, block: str, *, heading: str = "", command: str = "", intro: str = ""
) -> None:
    """Put `block` between the `tag` markers of bench/README.md; if they are missing, add
    a section (`heading`, the `command` that writes it, `intro`) at the end first."""
    start, end = markers(tag)
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        section = [f"## {heading or tag}"]
        if command:
            section.append(f"`{command}`")
        if intro:
            section.append(textwrap.fill(intro, WIDTH))
        text = text.rstrip("\n") + "\n\n" + "\n\n".join(section) + f"\n\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{start}\n{block}\n{end}{tail}", encoding="utf-8")
