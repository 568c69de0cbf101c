"""Programs of several files: `import geometry` (or `from geometry import norm`)
reads geometry.ml, else geometry.mojo, beside the importing file.

In: a module name and the directory of the file importing it (a `Source`'s
`directory`; None for a program given as text, which imports no files). Out:
the paths tried and the file found (the checker declares it: `typecheck`);
and, for the disk cache's key, every file a program imports, transitively,
found by a plain scan of its import lines (no parse: a hit parses nothing).
The scan may find more than the checker reads (an import line in a string),
never less: a file it finds for nothing only costs a miss when it changes.
"""
from __future__ import annotations

import os

SUFFIXES = (".ml", ".mojo")
# The top-level names of the standard modules (check_imports.STD_MODULES): such a name
# always means the standard module, whatever files lie beside the program.
STANDARD = frozenset({"math", "algorithm", "sys", "memory", "random", "time", "tensor",
                      "collections", "builtin", "utils", "std"})      # `std.math`: current Mojo's



def candidates(directory: str, name: str) -> list[str]:
    """The paths `import name` tries, in order."""
    return [os.path.join(directory, name + suffix) for suffix in SUFFIXES]


def find(directory: str, name: str) -> str | None:
    return next((p for p in candidates(directory, name) if os.path.isfile(p)), None)


def imported_files(source) -> list[tuple[str, str | None, bytes | None]]:
    """(module name, path or None when missing, the file's bytes or None when
    unreadable) of every module `source` imports, transitively, each once."""
    if source.directory is None:
        return []
    found, seen = [], set()
    todo = [(source.directory, source.text)]
    while todo:
        directory, text = todo.pop()
        for name in _imported_names(text):
            if name in STANDARD or (directory, name) in seen:
                continue
            seen.add((directory, name))
            path = find(directory, name)
            data = None
            if path is not None:
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    pass
            found.append((name, path, data))
            if data is not None:
                todo.append((os.path.dirname(path), data.decode("utf-8-sig", "replace")))
    return found


def _imported_names(text: str) -> list[str]:
    """The module of each statement of `text` that starts with `from M import` or
    `import M` (at the start of a line or after a `;`). Plain string work, only on
    the lines that hold "import": a warm start reads this for every program."""
    names, at = [], text.find("import")
    while at != -1:
        start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        end = len(text) if end == -1 else end
        for statement in text[start:end].split(";"):
            words = statement.split()
            if len(words) >= 3 and words[0] == "from" and words[2].startswith("import"):
                name = words[1]
            elif len(words) >= 2 and words[0] == "import":
                name = words[1].split(".")[0]
            else:
                continue
            if name.isidentifier():
                names.append(name)
        at = text.find("import", end)
    return names
