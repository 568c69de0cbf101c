"""Source text and spans.

In: a file name and its text. Out: `Source` objects that map byte offsets to
(line, column) and `Span`s that draw themselves as the caret diagrams every user
error uses. Lines and columns are 1-based; a span is a half-open offset range.
"""
from __future__ import annotations

import bisect


class Source:
    def __init__(self, name: str, text: str, line_offset: int = 0, python: bool = False,
                 directory: str | None = None, shown: str | None = None):
        self.name = name
        self.text = text
        # `shown`: the text as the file has it, where `text` was rewritten in place
        # (a kernel's quoted annotations unquoted: the same lines and columns); the
        # lines an error draws come from it.
        self.shown = text if shown is None else shown
        # `directory`: where the file was read from, and its imports are looked for
        # (`import geometry` reads geometry.ml there); None for text given as such.
        self.directory = directory
        # `line_offset` lets a function read back from a Python file report the
        # line numbers of that file rather than of the extracted snippet.
        self.line_offset = line_offset
        # `python`: the text is a kernel or struct read back from a .py file, so
        # advice spells what that file should say (`from mojolite import ...`).
        self.python = python
        self._starts = [0]
        i = text.find("\n")
        while i >= 0:
            self._starts.append(i + 1)
            i = text.find("\n", i + 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of `offset` (columns count characters)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_text(self, line: int) -> str:
        start = self._starts[line - 1]
        end = self.shown.find("\n", start)
        return self.shown[start:] if end < 0 else self.shown[start:end]

    def span(self, start: int, end: int) -> "Span":
        return Span(self, start, end)

    def __repr__(self) -> str:
        return f"Source({self.name!r})"


class Span:
    """The half-open offset range [start, end) of `source`. Spans compare and hash
    by their offsets, not their source. Written out rather than a dataclass: then
    neither `import mojolite` nor a warm cache load imports `dataclasses`."""
    __slots__ = ("source", "start", "end")

    def __init__(self, source: Source, start: int, end: int):
        self.source, self.start, self.end = source, start, end

    def __eq__(self, other):
        if other.__class__ is not Span:
            return NotImplemented
        return self.start == other.start and self.end == other.end

    def __hash__(self):
        return hash((self.start, self.end))

    def __repr__(self) -> str:
        return f"Span(start={self.start}, end={self.end})"

    @property
    def line(self) -> int:
        return self.source.line_col(self.start)[0] + self.source.line_offset

    @property
    def column(self) -> int:
        return self.source.line_col(self.start)[1]

    def to(self, other: "Span") -> "Span":
        return Span(self.source, min(self.start, other.start), max(self.end, other.end))

    @property
    def text(self) -> str:
        return self.source.text[self.start:self.end]

    def location(self) -> str:
        return f"{self.source.name}:{self.line}:{self.column}"

    def render(self, label: str = "") -> str:
        """The arrow line, the source line and carets under this span.

        A span that runs past its first line is underlined to the end of that line.
        The carets count terminal columns, not characters (`_display_width`). Of a
        line longer than _LONG characters, only the part around the span is shown.
        """
        line, col = self.source.line_col(self.start)
        text = self.source.line_text(line).rstrip("\r")
        end_line, end_col = self.source.line_col(self.end)
        start, end = col - 1, end_col - 1 if end_line == line else len(text)
        if len(text) > _LONG:
            lo, hi = max(0, start - _CONTEXT), min(len(text), min(end, start + _LONG) + _CONTEXT)
            cut = "..." if lo > 0 else ""
            text = cut + text[lo:hi] + ("..." if hi < len(text) else "")
            start, end = start - lo + len(cut), min(end, hi) - lo + len(cut)
        indent, width = _display_width(text[:start]), _display_width(text[start:end])
        shown = line + self.source.line_offset
        gutter = " " * len(str(shown))
        text = _shown(text)
        return (f"  --> {self.location()}\n"
                f" {gutter} |\n"
                f" {shown} | {text}\n"
                f" {gutter} | {' ' * indent}{'^' * max(1, width)}{(' ' + label) if label else ''}")


# The source line is shown with each tab as this many spaces, so that the carets
# under it line up whatever the terminal's tab stops.
_TAB = 4
# A line longer than _LONG characters is shown from _CONTEXT characters before the
# span to _CONTEXT after it (or after its first _LONG characters).
_LONG, _CONTEXT = 120, 40


def _shown(line: str) -> str:
    """`line` as an error shows it: tabs as _TAB spaces, and every other control
    character (a binary file's bytes, an escape sequence that would recolour the
    terminal) as U+FFFD, one column wide as the carets count it."""
    line = line.replace("\t", " " * _TAB)
    return "".join("\ufffd" if ch < " " or "\x7f" <= ch <= "\x9f" else ch for ch in line)


def _display_width(text: str) -> int:
    """The terminal columns `text` takes as shown: a tab _TAB, a wide (CJK) character
    2, a combining mark 0, any other character 1."""
    if text.isascii():
        return len(text) + (_TAB - 1) * text.count("\t")
    import unicodedata
    return sum(_TAB if ch == "\t" else 0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
