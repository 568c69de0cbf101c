"""Source lines beside the IR and the assembly: what `mojolite ir --stage ll|opt|asm`,
`kernel.ir()` and `kernel.asm()` show.

In: the text of an LLVM module (or of its assembly) compiled with debug locations
(`Module.annotated`: `lower_module(debug_info=True)`), and the `Source` it came
from. Out: the same text with a `; line N: <source>` comment (`# line N: ...` in
assembly) above each run of instructions that a source line produced, so that a
reader sees which line became which instructions, after optimisation too.
"""
from __future__ import annotations

import os
import re

from ..source import Source

_DILOCATION = re.compile(r"^(![0-9]+) = (?:distinct )?!DILocation\((.*)\)\s*$")
_LINE_FIELD = re.compile(r"\bline: ([0-9]+)")
_DBG_REF = re.compile(r"!dbg (![0-9]+)")
_ASM_LOC = re.compile(r"^\s*\.loc\s+([0-9]+)\s+([0-9]+)")
_ASM_FILE = re.compile(r'^\s*\.file\s+([0-9]+)\s+"([^"]*)"(?:\s+"([^"]*)")?')
_DIFILE = re.compile(r"^(![0-9]+) = (?:distinct )?!DIFile\((.*)\)\s*$")
_FILENAME_FIELD = re.compile(r'\bfilename: "([^"]*)"')
_DIRECTORY_FIELD = re.compile(r'\bdirectory: "([^"]*)"')
_DISUBPROGRAM = re.compile(r"^(![0-9]+) = (?:distinct )?!DISubprogram\((.*)\)\s*$")
_SCOPE_FIELD = re.compile(r"\bscope: (![0-9]+)")
_FILE_FIELD = re.compile(r"\bfile: (![0-9]+)")
_ASM_LABEL = re.compile(r"^[\w.$]+:")


def _source_line(source: Source, line: int) -> str | None:
    local = line - source.line_offset
    if local < 1 or local > source.text.count("\n") + 1:
        return None
    return source.line_text(local).strip()


def _join(directory: str, name: str) -> str:
    return name if directory in ("", ".") else os.path.join(directory, name)


class _Sources:
    """Source lines by file: `source` (the unit's file) and, for the other files
    of a unit of kernels, what `lookup(path)` returns (None: not shown)."""

    def __init__(self, source: Source, lookup=None):
        self.source, self.lookup = source, lookup
        self.main = os.path.abspath(source.name)
        self.cache: dict[str, Source | None] = {self.main: source}

    def line(self, path: str | None, n: int) -> str | None:
        """`line N: text`, or `file.py line N: text` for a file other than the unit's."""
        path = os.path.abspath(path) if path else self.main
        if path not in self.cache:
            self.cache[path] = self.lookup(path) if self.lookup else None
        src = self.cache[path]
        text = _source_line(src, n) if src is not None else None
        if text is None:
            return None
        where = "" if path == self.main else os.path.basename(path) + " "
        return f"{where}line {n}: {text}"


def annotate_ir(ir_text: str, source: Source, lookup=None) -> str:
    """Insert `; line N: <source>` above the first instruction of each run of
    instructions whose `!dbg` location is on line N (runs end at functions' ends).
    A location in another file than `source` (a unit of kernels from several
    files) reads that file through `lookup(path) -> Source | None`."""
    lines = ir_text.splitlines()
    files, sub_file, loc_line = {}, {}, {}
    for line in lines:
        m = _DILOCATION.match(line)
        if m:
            f = _LINE_FIELD.search(m.group(2))
            scope = _SCOPE_FIELD.search(m.group(2))
            if f:
                loc_line[m.group(1)] = (int(f.group(1)), scope.group(1) if scope else None)
            continue
        m = _DIFILE.match(line)
        if m:
            name = _FILENAME_FIELD.search(m.group(2))
            directory = _DIRECTORY_FIELD.search(m.group(2))
            if name:
                files[m.group(1)] = _join(directory.group(1) if directory else "",
                                          name.group(1))
            continue
        m = _DISUBPROGRAM.match(line)
        if m:
            f = _FILE_FIELD.search(m.group(2))
            if f:
                sub_file[m.group(1)] = f.group(1)
    sources = _Sources(source, lookup)
    out, last = [], None
    for line in lines:
        if line.startswith(("define ", "}")):
            last = None
        elif line.startswith("  "):
            m = _DBG_REF.search(line)
            where = loc_line.get(m.group(1)) if m else None
            if where and where != last:
                path = files.get(sub_file.get(where[1]))
                text = sources.line(path, where[0])
                if text is not None:
                    indent = line[:len(line) - len(line.lstrip())]
                    out.append(f"{indent}; {text}")
                last = where
        out.append(line)
    return "\n".join(out) + "\n"


def annotate_asm(asm_text: str, source: Source, comment: str = "#", lookup=None) -> str:
    """Insert `# line N: <source>` after each `.loc` directive that moves to a new
    line N (runs restart at labels); `lookup` as for `annotate_ir`."""
    out, last, files, comp_dir = [], None, {}, ""
    sources = _Sources(source, lookup)
    for line in asm_text.splitlines():
        out.append(line)
        if _ASM_LABEL.match(line):
            last = None
            continue
        m = _ASM_FILE.match(line)
        if m:           # `.file N "dir" "name"`, or `.file N "name"` in file 0's directory
            if m.group(3) is not None:
                files[m.group(1)] = _join(m.group(2), m.group(3))
                if m.group(1) == "0":
                    comp_dir = m.group(2)
            else:
                files[m.group(1)] = os.path.join(comp_dir, m.group(2))
            continue
        m = _ASM_LOC.match(line)
        if m:
            n, where = int(m.group(2)), (m.group(1), int(m.group(2)))
            if n and where != last:
                text = sources.line(files.get(m.group(1)), n)
                if text is not None:
                    out.append(f"\t{comment} {text}")
                last = where
    return "\n".join(out) + "\n"
