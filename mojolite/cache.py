"""The disk cache: machine code keyed by everything that shaped it.

In: a program's text (or a `@mojolite.fn` kernel, read back from its file),
the compile options and the host. Out: on a hit, a `CachedModule` whose
functions run at once: nothing is parsed, checked, lowered or optimised; the
stored object code is mapped into the process (see below). On a miss, the normal pipeline runs and
`store` writes an entry once the machine code exists.

    key = sha256 of the parts below (one text, dict keys sorted: `_canonical`)
      source     the program's text, or the kernel's own lines (file, first line)
      deps       every kernel it calls, transitively (each one's lines), and the
                 value of every Python global its kernels name (constants, markers);
                 of a program, the text of every file it imports, transitively
      options    opt level, boundscheck, fastmath, the entry functions,
                 a generic kernel's compile-time parameters
      target     the process triple, the CPU name and its features
      compiler   mojolite's version and (size, mtime) of its own files, the Python tag
      llvm       llvmlite's version and LLVM's

    DIR/entries/<key>.mlc   MAGIC, sha256(payload), len(payload), payload
                            payload = pickle({key, meta, object})
    DIR/index/<unit>.json   the parts of the key last stored for a unit (a file's
                            program, a kernel): what a miss is explained against

`meta` is what calling needs without the front end: each function's signature
(name, symbol, parameter names and types, result, defaults, the Tensor
parameters it writes), the fault sites (source, offsets, message), the sources
those point into, the function Python enters, and the runtimes the code links
against (the thread pool).

Safe by construction: entries are written to a temporary file and renamed into
place (two processes storing one key both succeed; a reader never sees half an
entry); a truncated or corrupted entry fails its checksum, is deleted and
recompiled with one `CacheWarning`; a directory that cannot be written turns
storing off for the process with one warning. DIR is `MOJOLITE_CACHE_DIR`, else
`$XDG_CACHE_HOME/mojolite`, else `~/.cache/mojolite`; `MOJOLITE_CACHE=0` turns
the cache off; `MOJOLITE_EXPLAIN_CACHE=1` prints the reason for every miss.
Entries are pickles: the directory must be as trusted as the code that uses it.

The native Python callers `pynative` builds are cached the same way, keyed by
what their IR is made from (which names Python's objects by symbol, so it is
the same in every process): a hit compiles nothing at all.

On a hit, `objload` maps the stored object code into the process without LLVM
(llvmlite is not even imported); where it declines an object, MCJIT loads it
(`MOJOLITE_OBJLOAD=0` always takes MCJIT). DIR/host.pickle keeps LLVM's answers
about this host (the "llvm" and "target" parts of the key) for the same reason.
"""
from __future__ import annotations

import os
import sys
import time
import warnings

from .api import Module, _user_facing
from .kernel import ENTRY_PREFIX

try:        # CPython's own SHA-256: `hashlib` would load OpenSSL, 1.6 ms of a warm load
    from _sha2 import sha256 as _sha256            # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256 as _sha256      # Python 3.11
    except ImportError:
        from hashlib import sha256 as _sha256

FORMAT = 1
MAGIC = b"mojolite-cache %d\n" % FORMAT
_HEADER = len(MAGIC) + 32 + 8
SUFFIX = ".mlc"


class CacheWarning(UserWarning):
    """A cache entry was discarded, or the cache directory cannot be written."""


# ------------------------------------------------------------------ settings
def enabled() -> bool:
    return os.environ.get("MOJOLITE_CACHE", "1").strip().lower() not in ("0", "false", "no",
                                                                         "off")


def explaining() -> bool:
    return os.environ.get("MOJOLITE_EXPLAIN_CACHE", "") not in ("", "0")


def directory() -> str:
    """The cache directory (paths are strings here: `pathlib` costs a warm load 2 ms
    to import, most of it `urllib.parse`)."""
    given = os.environ.get("MOJOLITE_CACHE_DIR")
    if given:
        return os.path.expanduser(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mojolite")


_unwritable: set[str] = set()      # directories a store failed in (warned once each)


def _warn(message: str) -> None:
    warnings.warn(message, CacheWarning, stacklevel=3)


# ------------------------------------------------------------------ key parts
_fixed_parts: dict | None = None


def _fixed() -> dict:
    """The parts of every key that depend on this process only (computed once)."""
    global _fixed_parts
    if _fixed_parts is None:
        from . import __version__
        _fixed_parts = {
            "compiler": {"mojolite": __version__, "files": _package_fingerprint(),
                         "python": sys.implementation.cache_tag},
            **_host_parts(),
        }
    return _fixed_parts


def _host_parts() -> dict:
    """The "llvm" and "target" parts of every key. Asking LLVM costs loading it
    (about 11 ms), so its answer is kept in DIR/host.pickle under a stamp of what
    decides it (`_host_stamp`) and read back while the stamp is the same."""
    stamp = _host_stamp()
    import pickle
    path = os.path.join(directory(), "host.pickle")
    if stamp is not None:
        try:
            saved = pickle.loads(_read_bytes(path))
            if saved["stamp"] == stamp:
                return {"llvm": saved["llvm"], "target": saved["target"]}
        except Exception:       # absent, damaged: asked again and rewritten
            pass
    import llvmlite
    import llvmlite.binding as llvm

    from .target import host
    cpu, features = host()
    parts = {"llvm": {"llvmlite": llvmlite.__version__,
                      "llvm": ".".join(map(str, llvm.llvm_version_info))},
             "target": {"triple": llvm.get_process_triple(), "cpu": cpu,
                        "features": _digest(features)}}
    if stamp is not None and enabled() and directory() not in _unwritable:
        try:
            _write_atomic(path, pickle.dumps({"stamp": stamp, **parts}))
        except OSError:
            pass            # storing entries reports an unwritable directory
    return parts


def _host_stamp() -> str | None:
    """A digest of what decides LLVM's answers: llvmlite's files (path, size,
    mtime of its package and its shared library) and the CPU as the kernel
    describes it (vendor, family, model, stepping, flags of the first
    processor in /proc/cpuinfo). None where either is unknown (LLVM is asked)."""
    import importlib.util
    try:
        spec = importlib.util.find_spec("llvmlite")
        package = os.path.dirname(spec.origin)
        rows = [f"{f}:{s.st_size}:{s.st_mtime_ns}" for f in
                (os.path.join(package, "__init__.py"),
                 os.path.join(package, "binding", "libllvmlite.so"))
                for s in [os.stat(f)]]
        with open("/proc/cpuinfo", "rb") as f:
            text = f.read(16384).decode("utf-8", "replace").split("\n\n")[0]
    except (OSError, AttributeError, TypeError, ValueError, ImportError):
        return None
    keep = ("vendor_id", "cpu family", "model", "model name", "stepping", "flags")
    cpu = [line for line in text.splitlines() if line.split(":")[0].strip() in keep]
    if not any(line.startswith("flags") for line in cpu):
        return None
    return _digest("\n".join(rows + cpu + [os.uname().machine]))


def _package_fingerprint() -> str:
    """(name, size, mtime) of mojolite's own files: an edited compiler misses."""
    root = os.path.dirname(os.path.abspath(__file__))
    rows = []
    for folder in (root, os.path.join(root, "codegen")):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.name.endswith((".py", ".lark")) and e.is_file():
                st = e.stat()
                rows.append(f"{os.path.basename(folder)}/{e.name}:{st.st_size}:"
                            f"{st.st_mtime_ns}")
    return _digest("\n".join(rows))


def _canonical(value) -> str:
    """A key's parts (dicts with str keys, lists, str, int, bool, None) as
    one text, dict keys sorted: what the key hashes. (Not `json`: importing it
    costs a warm load a millisecond.)"""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_canonical(value[k])}" for k in sorted(value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    return repr(value)


def _digest(text: str | bytes) -> str:
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogatepass")
    return _sha256(text).hexdigest()


def _options_part(options) -> dict:
    entries = options.entries
    return {"opt": options.opt, "boundscheck": bool(options.boundscheck),
            "fastmath": bool(options.fastmath),
            "entries": None if entries is None else sorted(entries),
            "lazy": bool(options.lazy), "root": options.root}


class Slot:
    """Where one unit's compiled code is looked up and stored: its key, the
    parts the key hashes, and how the unit is named in explanations."""

    def __init__(self, kind: str, name: str, identity: str, parts: dict, entry: str | None):
        self.kind, self.name, self.identity, self.entry = kind, name, identity, entry
        self.parts = parts
        self.key = _digest(_canonical(parts))
        self.directory = directory()

    @property
    def path(self) -> str:
        return os.path.join(self.directory, "entries", self.key + SUFFIX)

    @property
    def index_path(self) -> str:
        return os.path.join(self.directory, "index",
                            _digest(self.kind + "\0" + self.identity)[:32] + ".json")


def program_slot(source, options, function: str | None = None) -> Slot:
    """The slot of a program, or of one `function` of it compiled on its own."""
    parts = {"kind": "program", "source": _digest(source.text), "deps": _module_deps(source),
             "options": _options_part(options), **_fixed()}
    identity = os.path.abspath(source.name) if not source.name.startswith("<") else source.name
    if function is not None:
        return Slot("function", f"{function} in {source.name}", f"{identity}::{function}",
                    parts, None)
    return Slot("program", source.name, identity, parts, None)


def _module_deps(source) -> dict[str, str]:
    """`module NAME (FILE)` → the hash of the file's text, for every file the
    program imports, transitively (`modules.imported_files`: a scan, no parse)."""
    from .modules import imported_files
    return {f"module {name} ({os.path.basename(path)})" if path else f"module {name}":
            _digest(data) if data is not None else "missing" if path is None else "unreadable"
            for name, path, data in imported_files(source)}


def kernel_slot(kernel, params, options) -> Slot | None:
    """The slot of `kernel` (with compile-time `params`, a tuple or None), or
    None when its text cannot be read back (the compile reports why)."""
    deps: dict[str, str] = {}
    own = _hash_kernel(kernel, deps, set())
    if own is None:
        return None
    label, text_hash = own
    deps.pop(f"kernel {label}")
    opts = _options_part(options)
    if params is not None:
        from .markers import spell
        opts["params"] = ", ".join(spell(p) for p in params)
    parts = {"kind": "kernel", "source": text_hash, "deps": deps, "options": opts,
             **_fixed()}
    fn = kernel.py_function
    name = fn.__qualname__ + (f"[{opts['params']}]" if params is not None else "")
    identity = f"{fn.__code__.co_filename}:{name}"
    return Slot("kernel", name, identity, parts, None)


def _hash_kernel(kernel, deps: dict, seen: set):
    """Adds `kernel`'s own text and, recursively, what its free names stand for
    to `deps`. Returns (label, hash of its text) or None if it cannot be read.

    A free name is any name the kernel's text mentions (Python's own parser
    finds them, so a miss never needs the mojolite parser): a superset of what
    the compiler resolves, which can only cost an unneeded miss."""
    import ast
    if kernel._generic is not None:
        kernel = kernel._generic[0]
    fn = kernel.py_function
    label = f"{fn.__module__}.{fn.__qualname__}"
    if id(kernel) in seen:
        return label, None
    seen.add(id(kernel))
    from .kernel import definition_lines
    found = definition_lines(fn)
    if found is None:
        return None
    lines, first = found
    text = "".join(lines)
    indent = len(lines[0]) - len(lines[0].lstrip(" \t")) if lines else 0
    try:
        tree = ast.parse(("if True:\n" if indent else "") + text)
    except SyntaxError:
        return None
    text_hash = _digest(f"{fn.__code__.co_filename}\0{first}\0{text}")
    deps[f"kernel {label}"] = text_hash
    scope = fn.__globals__
    cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    for name in _names_in(tree):
        head = name.split(".")[0]
        if head in cells:
            try:
                value = cells[head].cell_contents
            except ValueError:
                continue
        elif head in scope:
            value = scope[head]
        else:
            continue
        value = _module_attribute(value, name)
        if value is _MISSING:
            continue
        what = _describe_global(value, deps, seen)
        if what is None:
            return None
        deps[f"global {name} (used by {label})"] = what
    return label, text_hash


def _hash_struct(struct, deps: dict, seen: set) -> str | None:
    """A `@mojolite.struct` class as a dependency: its text, and what the names
    in it stand for in its module (as for a kernel)."""
    import ast
    import inspect
    import sys
    cls = struct.py_class
    label = f"{cls.__module__}.{cls.__qualname__}"
    if id(struct) in seen:
        return f"struct {label}"
    seen.add(id(struct))
    try:
        lines, first = inspect.getsourcelines(cls)
        text = "".join(lines)
        indent = len(lines[0]) - len(lines[0].lstrip(" \t")) if lines else 0
        tree = ast.parse(("if True:\n" if indent else "") + text)
        filename = inspect.getsourcefile(cls)
    except (OSError, TypeError, SyntaxError):
        return None
    deps[f"struct {label}"] = _digest(f"{filename}\0{first}\0{text}")
    scope = vars(sys.modules[cls.__module__]) if cls.__module__ in sys.modules else {}
    for name in _names_in(tree):
        value = _module_attribute(scope.get(name.split(".")[0], _MISSING), name)
        if value is not _MISSING:
            what = _describe_global(value, deps, seen)
            if what is None:
                return None
            deps[f"global {name} (used by {label})"] = what
    return f"struct {label}"


_MISSING = object()


def _module_attribute(value, dotted: str):
    """What `dotted` (`name`, `mod.name`, `pkg.mod.name`) stands for, given the
    value of its first name: attributes are read through Python modules only
    (a kernel reads `mod.name` as a global); `_MISSING` where one is absent."""
    import types
    for attr in dotted.split(".")[1:]:
        if not isinstance(value, types.ModuleType):
            return _MISSING
        value = getattr(value, attr, _MISSING)
    return value


def _names_in(tree) -> list[str]:
    """Every name a definition's text mentions, in its code and in quoted
    annotations (`p: "Point"`), leaving out the decorators of the definition
    itself (the compiler blanks them); and every dotted name `a.b.c` (what a
    name of a Python module stands for is read through it)."""
    import ast
    top = tree.body[0] if tree.body else None
    if isinstance(top, ast.If):            # the `if True:` line over an indented def
        top = top.body[0]
    skip = {id(n) for d in getattr(top, "decorator_list", ()) for n in ast.walk(d)}
    names = set()
    for n in ast.walk(tree):
        if id(n) in skip:
            continue
        if isinstance(n, ast.Name):
            names.add(n.id)
        elif isinstance(n, ast.Attribute):
            dotted, base = [n.attr], n.value
            while isinstance(base, ast.Attribute):
                dotted.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name):
                names.add(".".join([base.id, *reversed(dotted)]))
        elif isinstance(n, ast.Constant) and isinstance(n.value, str) and len(n.value) < 200:
            try:
                quoted = ast.parse(n.value.strip(), mode="eval")
            except SyntaxError:
                continue
            names.update(m.id for m in ast.walk(quoted) if isinstance(m, ast.Name))
    return sorted(names)


def _describe_global(value, deps: dict, seen: set) -> str | None:
    """What a global a kernel names stands for, as key text: by content for
    what the compiler folds in (kernels, structs, constants, mojolite's names,
    standard modules); by type for anything else, which the compiler refuses
    (so no entry is ever stored that depends on it). A new kind of value the
    kernel resolver accepts must be added here."""
    import types

    from .kernel import Kernel, _constant_text
    from .markers import DTypeNames, Marker
    if isinstance(value, Kernel):
        inner = _hash_kernel(value, deps, seen)
        return None if inner is None else f"kernel {inner[0]}"
    from .pystruct import PyStruct
    if isinstance(value, PyStruct):
        return _hash_struct(value, deps, seen)
    if isinstance(value, (Marker, DTypeNames)):
        return f"name {value!r}"
    constant = _constant_text(value)
    if constant is not None:
        return constant
    if isinstance(value, types.ModuleType):
        return f"module {value.__name__}"
    kind = type(value)
    name = getattr(value, "__qualname__", None) if callable(value) else None
    if isinstance(name, str):
        return f"{kind.__qualname__} {getattr(value, '__module__', '')}.{name}"
    return f"a {kind.__module__}.{kind.__qualname__}"


# ------------------------------------------------------------------ lookup
def program_module(source, options, timings=None):
    """`api.Module(source, options)`, from the cache when it holds this program."""
    from .api import Module, _timed, import_pipeline
    if options.reference or not enabled():
        import_pipeline(timings)
        return Module(source, options, timings)
    with _timed(timings, "imports"):
        _import_loader()
    with _timed(timings, "cache lookup"):
        slot = program_slot(source, options)
        entry = _lookup(slot)
    hit = _load(slot, entry, source, options, timings, lambda: Module(source, options))
    if hit is not None:
        return hit
    import_pipeline(timings)
    module = Module(source, options, timings)
    if options.entries is None:
        # Each function is compiled on its first call, into its own entry
        # (`unit_module`): the program's entry holds the signatures only.
        _store_entry(slot, _signatures(slot, module), None, index=True)
    else:
        module.cache_slot = slot
    return module


def unit_module(module, name: str):
    """The module that compiles function `name` of `module` on its own (see
    `api.Module.unit`): from the cache when it holds it."""
    options = module.options.replace(entries=(name,))
    if not enabled():
        return module.with_entries(options.entries)
    slot = program_slot(module.source, options, function=name)
    hit = _load(slot, _lookup(slot), module.source, options, module.timings,
                lambda: module.with_entries(options.entries))
    if hit is not None:
        return hit
    unit = module.with_entries(options.entries)
    unit.cache_slot = slot
    return unit


def lazy_module(module, callee: str, linker):
    """The module that compiles `callee` (a symbol) of `module`'s program on its
    own, for a lazily linked call (`codegen/lazylink.py`): from the cache when it
    holds it. Its key is that of the unit that linked it (`linker.slot`, which
    hashes the whole program), for no particular entry, plus the callee."""
    from .codegen.lazylink import shown
    options = module.options.replace(entries=None, root=callee)
    home, slot, unit = linker.slot, None, None
    if home is not None and enabled():
        parts = {**home.parts, "kind": "lazy", "options": _options_part(options)}
        slot = Slot("lazy", f"{shown(callee)} of {home.name}", f"{home.identity}::{callee}",
                    parts, None)
        unit = _load(slot, _lookup(slot), module.source, options, module.timings,
                     lambda: module.full()._recompiled(options))
    if unit is None:
        unit = module.full()._recompiled(options)
        unit.cache_slot = slot
    unit.linker = linker
    return unit


def kernel_module(kernel, params, options, build, timings=None):
    """(module, name of the function Python calls) for `kernel`: from the
    cache, or `build()` (which returns the same pair) with its entry stored
    once it is compiled."""
    from .api import _timed
    if options.reference or not enabled():
        return build()
    with _timed(timings, "cache lookup"):
        slot = kernel_slot(kernel, params, options)
        entry = _lookup(slot) if slot is not None else None
    if slot is None:
        return build()
    hit = _load(slot, entry, None, options, timings, lambda: build()[0])
    if hit is not None:
        return hit, hit.entry
    module, name = build()
    slot.entry = name
    module.cache_slot = slot
    return module, name


def _import_loader() -> None:
    """What loading an entry needs (so that `--timings` counts it as imports)."""
    import pickle  # noqa: F401

    from . import jit, objload, pycall, pynative  # noqa: F401 (no LLVM: see load_object)


def _load(slot: Slot, entry, source, options, timings, rebuild):
    """The `CachedModule` of `entry` (None: a miss)."""
    if entry is None:
        return None
    try:
        return CachedModule(slot, entry, source, options, timings, rebuild)
    except Unlinkable as e:
        if explaining():
            sys.stderr.write(f"mojolite: cache miss for {slot.kind} {slot.name}: {e}\n")
        return None


def _lookup(slot: Slot) -> dict | None:
    entry = _read(slot)
    if entry is None and explaining():
        sys.stderr.write(f"mojolite: cache miss for {slot.kind} {slot.name}: "
                         f"{explain(slot)}\n")
    return entry


def _read(slot: Slot) -> dict | None:
    """The entry stored under `slot.key`, or None. A damaged entry is deleted
    with a warning."""
    path = slot.path
    try:
        data = _read_bytes(path)
    except OSError:
        return None
    problem = _check(data)
    entry = None
    if problem is None:
        import pickle
        try:
            entry = pickle.loads(memoryview(data)[_HEADER:])
            if not isinstance(entry, dict) or entry.get("key") != slot.key or \
                    entry.get("format") != FORMAT:
                problem = "it holds another key"
        except Exception as e:        # noqa: BLE001 - any unpickling failure is damage
            problem = f"it cannot be read ({type(e).__name__})"
    if problem is not None:
        _warn(f"the cache entry {path} is damaged ({problem}): deleted; compiling again")
        try:
            os.unlink(path)
        except OSError:
            pass
        return None
    return entry


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _check(data: bytes) -> str | None:
    """Why `data` is not a whole entry, or None."""
    if len(data) < _HEADER or not data.startswith(MAGIC):
        return "truncated" if len(data) < _HEADER else "not a mojolite cache entry"
    digest = data[len(MAGIC):len(MAGIC) + 32]
    size = int.from_bytes(data[len(MAGIC) + 32:_HEADER], "little")
    if len(data) - _HEADER != size:
        return f"truncated: {len(data) - _HEADER} of {size} bytes"
    if _sha256(memoryview(data)[_HEADER:]).digest() != digest:
        return "checksum mismatch"
    return None


# ------------------------------------------------------------------ explanations
def explain(slot: Slot) -> str:
    """Why `slot` missed, against the key last stored for the same unit."""
    try:
        import json
        before = json.loads(_read_bytes(slot.index_path))
    except (OSError, ValueError):
        before = None
    if not isinstance(before, dict):
        return f"new {slot.kind} (nothing cached for it yet)"
    now = slot.parts
    reasons = []
    for part, what in (("compiler", "the mojolite compiler changed"),
                       ("llvm", "the llvmlite/LLVM version changed"),
                       ("target", "the target CPU or its features changed")):
        if before.get(part) != now[part]:
            reasons.append(what)
    if before.get("options") != now["options"]:
        old, new = before.get("options") or {}, now["options"]
        changed = [f"{k} {old.get(k)!r} -> {new.get(k)!r}" for k in sorted(set(old) | set(new))
                   if old.get(k) != new.get(k)]
        reasons.append("compile options changed (" + ", ".join(changed) + ")")
    if before.get("source") != now["source"]:
        reasons.append("its source changed")
    old_deps, new_deps = before.get("deps") or {}, now["deps"]
    for name in sorted(set(old_deps) | set(new_deps)):
        if name not in old_deps:
            reasons.append(f"a new dependency: {name}")
        elif name not in new_deps:
            reasons.append(f"a dependency is gone: {name}")
        elif old_deps[name] != new_deps[name]:
            reasons.append(f"a dependency changed: {name}")
    if not reasons:
        return "the same key was cached before, but its entry is gone (cleared or damaged)"
    if len(reasons) > 6:
        reasons[5:] = [f"and {len(reasons) - 5} more changes"]
    return "; ".join(reasons)


# ------------------------------------------------------------------ storing
def store(slot: Slot, lowered, jit) -> None:
    """Write the entry for `slot`: `jit.object_code` and what calling needs.
    Failing to write is a warning (once per directory), never an error."""
    if jit.object_code is None:
        return
    from .codegen import parallel
    # The runtimes the object links against, loaded before it on a hit (as
    # `jit.compile_ir` does before compiling).
    needs = ("threadpool",) if parallel.PARALLEL_FOR in lowered.module.globals else ()
    _store_entry(slot, _metadata(slot, lowered, needs), jit.object_code, index=True)


def _store_entry(slot: Slot, meta: dict, object_code: bytes | None, index: bool) -> None:
    if slot.directory in _unwritable:
        return
    import pickle
    payload = pickle.dumps({"format": FORMAT, "key": slot.key, "meta": meta,
                            "object": object_code}, protocol=pickle.HIGHEST_PROTOCOL)
    data = MAGIC + _sha256(payload).digest() + len(payload).to_bytes(8, "little") + \
        payload
    try:
        _write_atomic(slot.path, data)
        if index:
            import json
            _write_atomic(slot.index_path, json.dumps(slot.parts, sort_keys=True).encode())
    except OSError as e:
        _unwritable.add(slot.directory)
        reason = e.strerror or type(e).__name__
        _warn(f"cannot write to the cache directory {slot.directory} ({reason}): "
              "compiling without storing for the rest of this process")


def _code_slot(what: str) -> Slot | None:
    if not enabled():
        return None
    parts = {"kind": "code", "source": _digest(what), "deps": {}, "options": {}, **_fixed()}
    return Slot("code", "machine code", "code", parts, None)


def load_code(what: str) -> bytes | None:
    """The object code stored for `what`, or None: `what` is whatever decides
    that code given this compiler and host (a native caller's IR text, the name
    of a runtime such as the thread pool)."""
    slot = _code_slot(what)
    entry = _read(slot) if slot is not None else None
    return entry["object"] if entry is not None else None


def store_code(what: str, object_code: bytes) -> None:
    slot = _code_slot(what)
    if slot is not None:
        _store_entry(slot, {"code": True}, object_code, index=False)


def _write_atomic(path: str, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place."""
    folder, name = os.path.split(path)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _metadata(slot: Slot, lowered, needs) -> dict:
    sources: list = []
    index: dict[int, int] = {}

    def source_id(src) -> int:
        if id(src) not in index:
            index[id(src)] = len(sources)
            sources.append((src.name, src.shown, src.line_offset))
        return index[id(src)]
    sites = [(source_id(span.source), span.start, span.end, message) if span is not None
             else (-1, 0, 0, message) for span, message in lowered.sites]
    main = source_id(lowered.source) if lowered.source is not None else -1
    # The functions Python can enter (those with an entry wrapper), not the whole
    # program's: a unit of gd.ml holds 1 signature, not 94 (half its unpickling).
    functions = [_signature_record(f) for f in lowered.functions.values()
                 if lowered.entry_symbol(f) in lowered.module.globals]
    return {"functions": functions, "sites": sites, "templates": sorted(lowered.templates),
            "raised": sorted(getattr(lowered, "raised", ())),
            "sources": sources, "main": main, "entry": slot.entry, "needs": list(needs),
            "imports": _imports(lowered.module), "name": slot.name,
            "lazy": lowered.lazy or {}, "site_base": lowered.site_base}


def _signatures(slot: Slot, module) -> dict:
    """The entry of a program whose functions are compiled one by one: what
    finding and calling them needs, and no code."""
    src = module.source
    return {"functions": [_signature_record(f) for f in module.program.functions],
            "sites": [], "templates": [], "raised": [],
            "sources": [(src.name, src.shown, src.line_offset)], "main": 0, "entry": None,
            "needs": [], "imports": [], "name": slot.name, "names": module.program.names}


def _imports(module) -> list[str]:
    """The symbols the module declares and the process must provide (runtime
    callbacks, libm, the thread pool): checked before an entry is loaded."""
    return sorted(g.name for g in module.global_values
                  if not g.name.startswith("llvm.") and
                  (getattr(g, "is_declaration", False) or
                   getattr(g, "initializer", 0) is None))


def _signature_record(f) -> dict:
    record = {"name": f.name, "symbol": f.symbol, "ret": f.ret, "raises": f.raises,
              "params": [(p.name, p.type, bool(p.by_ref)) for p in f.params],
              "defaults": tuple(f.defaults), "writes": sorted(f.writes),
              "ranks": dict(f.ranks), "positional": f.positional,
              "posonly": getattr(f, "posonly", 0), "variadic": getattr(f, "variadic", None),
              "result": getattr(f, "result", None)}
    shows = _called_by_entry(f)
    if shows is not None:
        record["shows"] = _signature_record(shows)
    return record


def _called_by_entry(f):
    """For a `__py_` entry synthesised for a generic kernel: the function it calls."""
    if not f.name.startswith(ENTRY_PREFIX) or len(f.body) != 1:
        return None
    st = f.body[0]
    call = getattr(st, "value", None) or getattr(st, "expr", None)
    fn = getattr(call, "fn", None)
    return fn if fn is not None and hasattr(fn, "params") else None


# ------------------------------------------------------------------ loading
class Param:
    __slots__ = ("name", "type", "by_ref")

    def __init__(self, name, type, by_ref):
        self.name, self.type, self.by_ref = name, type, by_ref


class Signature:
    """What calling a function needs of its `typed.Function`: name, symbol,
    parameters (name, type, by_ref), result, raises, defaults, writes, ranks,
    positional (the parameters before a bare `*`, None: all), posonly (those before a
    `/`), variadic (the position of `*xs`, None: none), result (a named result
    `out r: T`: its position among the parameters and its name, None: none)."""

    __slots__ = ("name", "symbol", "params", "ret", "raises", "defaults", "writes", "ranks",
                 "positional", "posonly", "variadic", "shows", "captures", "result")

    def __init__(self, record: dict):
        self.name, self.symbol = record["name"], record["symbol"]
        self.params = [Param(*p) for p in record["params"]]
        self.ret, self.raises = record["ret"], record["raises"]
        self.defaults, self.writes = tuple(record["defaults"]), frozenset(record["writes"])
        self.ranks = dict(record["ranks"])
        self.positional, self.variadic = record["positional"], record.get("variadic")
        self.posonly = record.get("posonly", 0)     # the parameters before a `/`
        self.result = record.get("result")          # a named result: (position, name)
        shows = record.get("shows")
        self.shows = Signature(shows) if shows is not None else None
        self.captures = ()


class Signatures:
    """The `program` of a cached module: its functions' signatures only."""

    def __init__(self, functions: list[Signature], source_name: str,
                 names: dict[str, str] | None = None):
        self.functions, self.source_name = functions, source_name
        self.names = names or {}        # as `typed.Program.names`

    def get(self, name: str) -> Signature | None:
        for f in self.functions:
            if f.name == name or f.symbol == name:
                return f
        return None


class _Sites:
    """site id → (Span, message), the Spans made on first use."""

    def __init__(self, meta: dict, live_source):
        self._rows, self._sources = meta["sites"], meta["sources"]
        self._live = live_source
        self._made: dict[int, object] = {}

    def source(self, i: int):
        if i < 0:
            return None
        made = self._made.get(i)
        if made is None:
            from .source import Source
            name, text, line_offset = self._sources[i]
            live = self._live
            if live is not None and live.shown == text and live.line_offset == line_offset:
                made = live            # the program's own source names its current path
            else:
                made = Source(name, text, line_offset)
            self._made[i] = made
        return made

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, site: int):
        i, start, end, message = self._rows[site]
        src = self.source(i)
        return (src.span(start, end) if src is not None else None), message


class CachedLowered:
    """Stands in for `codegen.lower.Lowered` where a `JitModule` reads it."""

    def __init__(self, meta: dict, live_source):
        self.sites = _Sites(meta, live_source)
        self.templates = frozenset(meta["templates"])
        self.raised = frozenset(meta.get("raised", ()))
        self.functions = {r["symbol"]: Signature(r) for r in meta["functions"]}
        self.lazy = meta.get("lazy") or {}
        self.site_base = meta.get("site_base", 0)
        self.lower_ms = 0.0

    def fault(self, site: int, a: int = 0, b: int = 0):
        from .errors import site_fault
        return site_fault(self.sites, self.templates, self.raised, site - self.site_base,
                          a, b)

    def entry_symbol(self, fn) -> str:
        return "__entry_" + (fn if isinstance(fn, str) else fn.symbol)

    def function(self, fn):
        return self.functions[fn if isinstance(fn, str) else fn.symbol]


class Unlinkable(Exception):
    """An entry whose code needs a symbol this process does not provide."""


def load_object(object_code: bytes, opt: int, needs=(), imports=()):
    """(what holds `object_code`'s machine code, its target machine or None):
    the object mapped by `objload` (no LLVM loaded, no target machine), else,
    when the loader declines it, an MCJIT engine loading it through the
    engine's object cache (nothing is compiled). Either answers
    `get_function_address(symbol)`. Raises `Unlinkable` rather than let MCJIT
    abort the process on a symbol it cannot resolve."""
    from .codegen import pool, runtime
    if "threadpool" in needs:
        pool.ensure_runtime()
    from . import objload
    if objload.enabled():
        table = runtime.symbols()
        missing = [name for name in imports if not objload.lookup(name, table)]
        if missing:
            raise Unlinkable(f"its code needs {', '.join(missing[:3])}, which this process "
                             "lacks")
        try:
            return objload.load(object_code, table), None
        except objload.LoadError as e:
            if explaining():
                sys.stderr.write(f"mojolite: loading cached code with MCJIT: {e}\n")
    import llvmlite.binding as llvm

    from . import jit
    jit._initialise()
    tm = jit.target_machine(opt)
    engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), tm)
    missing = [name for name in imports if not llvm.address_of_symbol(name)]
    if missing:
        raise Unlinkable(f"its code needs {', '.join(missing[:3])}, which this process lacks")
    engine.set_object_cache(None, lambda module: object_code)
    engine.finalize_object()
    return engine, tm


class CachedModule(Module):
    """A `Module` loaded from the disk cache: signatures and machine code.
    Its trees and IR (`full()`, `mojolite ir`, `kernel.ir()`) come from
    compiling it again, once, when asked for."""

    def __init__(self, slot, entry, source, options, timings, rebuild):
        from .jit import JitModule
        t0 = time.perf_counter()
        meta, object_code = entry["meta"], entry["object"]
        if meta["entry"] is not None:       # a kernel's code: one unit, for its entry
            options = options.replace(entries=(meta["entry"],))
        self.options, self.timings = options, timings
        self.cache_slot = None
        self.cache_key = slot.key
        self._home = slot
        self._rebuild, self._full = rebuild, None
        self._callables = {}
        lowered = CachedLowered(meta, source)
        self._cached_source = source if source is not None else lowered.sites.source(
            meta["main"])
        ordered = [lowered.functions[r["symbol"]] for r in meta["functions"]]
        self.program = Signatures(ordered, meta["name"], meta.get("names"))
        self.entry = meta["entry"]
        self._units, self._jit, self._lowered = {}, None, None
        if object_code is not None:       # else a program's signatures (`_signatures`)
            engine, tm = load_object(object_code, options.opt, meta["needs"],
                                     meta["imports"])
            self._jit = JitModule(lowered, engine, tm, None, {"cache load": ms_since(t0)})
        ms = ms_since(t0)
        if timings is not None:
            timings.add("cache load", ms / 1e3)

    @property
    def source(self):
        return self._cached_source

    def home_slot(self):
        return self._home

    @property
    def tree(self):
        return self.full().tree

    def full(self):
        if self._full is None:
            self._full = _user_facing(self._rebuild)
        return self._full

    def lowered(self):
        return self.full().lowered()


def ms_since(t0: float) -> float:
    return (time.perf_counter() - t0) * 1e3


# ------------------------------------------------------------------ cache info / clear
def info() -> str:
    d = directory()
    state = "on" if enabled() else "off (MOJOLITE_CACHE=0)"
    entries = [p for p in _files(os.path.join(d, "entries")) if p.endswith(SUFFIX)]
    size = sum(_size(p) for p in entries)
    fixed = _fixed()
    lines = [f"cache:      {state}",
             f"directory:  {d}",
             f"entries:    {len(entries)} ({_human(size)})",
             f"mojolite:   {fixed['compiler']['mojolite']} "
             f"(its files: {fixed['compiler']['files'][:12]})",
             f"llvm:       llvmlite {fixed['llvm']['llvmlite']}, LLVM {fixed['llvm']['llvm']}",
             f"target:     {fixed['target']['triple']}, cpu {fixed['target']['cpu']}"]
    return "\n".join(lines) + "\n"


def clear() -> tuple[int, int]:
    """Delete every entry, index record, stray temporary file and the host
    record; returns (entries removed, bytes freed)."""
    d = directory()
    n = freed = 0
    for folder in ("entries", "index"):
        for p in _files(os.path.join(d, folder)):
            if p.endswith((SUFFIX, ".json", ".tmp")):
                size = _size(p)
                try:
                    os.unlink(p)
                except OSError:
                    continue
                if p.endswith(SUFFIX):
                    n += 1
                    freed += size
    try:
        os.unlink(os.path.join(d, "host.pickle"))   # LLVM's answers about this host, asked again
    except OSError:
        pass
    return n, freed


def _files(folder: str) -> list[str]:
    """The plain files in `folder` (none if it does not exist), sorted."""
    try:
        return sorted(e.path for e in os.scandir(folder) if e.is_file())
    except OSError:
        return []


def _size(p: str) -> int:
    try:
        return os.stat(p).st_size
    except OSError:
        return 0


def _human(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"
