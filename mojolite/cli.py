"""Command line: `mojolite run | ir | check | cache`.

In: argv. Out: the program's output on stdout, diagnostics on stderr, and an
exit status (0 ok, 1 a user error in the program, 2 bad command line,
70 a compiler bug; killed by SIGPIPE when the reader of its output goes away,
as a compiled program is). No Python traceback reaches the user unless
MOJOLITE_DEBUG=1.
"""
from __future__ import annotations

import argparse
import signal
import sys

USAGE = """\
usage: mojolite run FILE.ml [-O0..-O3] [--release] [--fastmath] [--reference] [--timings]
                    [--explain-cache] [--name value ...]
       mojolite ir FILE.ml --stage ast|typed|ll|opt|asm [--fn NAME] [-O0..-O3] [--fastmath]
       mojolite check FILE.ml
       mojolite cache info|clear
"""


def main(argv: list[str] | None = None) -> int:
    if argv is None and hasattr(signal, "SIGPIPE"):
        # `mojolite run f.ml | head`: Python ignores SIGPIPE, so every print after
        # `head` exits would fail with BrokenPipeError; end quietly instead
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if rest[:1] in (["-h"], ["--help"]):      # `mojolite run --help`
        sys.stdout.write(USAGE)
        return 0
    handler = {"run": cmd_run, "ir": cmd_ir, "check": cmd_check, "cache": cmd_cache}.get(command)
    if handler is None:
        sys.stderr.write(f"mojolite: unknown command '{command}'\n{USAGE}")
        return 2
    _show_cache_warnings_plainly()
    from .errors import CompileError, InternalError, MojoliteError, UserError, debug_enabled
    try:
        return handler(rest)
    except CompileError as e:
        sys.stderr.write(str(e) + "\n")
        return 1
    except UserError as e:
        sys.stderr.write(e.render() + "\n")
        return 1
    except InternalError as e:
        sys.stderr.write(str(e) + "\n")
        return 70
    except MojoliteError as e:
        sys.stderr.write(str(e) + "\n")
        return 1
    except _Usage as e:
        sys.stderr.write(f"mojolite: {e}\n{USAGE}")
        return 2
    except _Help as e:
        sys.stdout.write(str(e))
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as e:     # a bug in mojolite: say so, without a traceback
        if debug_enabled():
            raise
        sys.stderr.write(f"internal compiler error: {type(e).__name__}: {e}\n"
                         "  = note: this is a bug in mojolite; set MOJOLITE_DEBUG=1 for the "
                         "traceback\n")
        return 70


class _Usage(Exception):
    pass


class _Help(Exception):
    """`mojolite run FILE.ml --help`: the text to print (main's parameters)."""


def _main_help(fn) -> str:
    """The flags of main's parameters, each with its type and default."""
    from .kernel import _value_text
    from .typesys import REQUIRED, default_of
    lines = ["main's parameters:" if fn.params else "main takes no parameters"]
    for i, p in enumerate(fn.params):
        default = default_of(fn, i)
        # as the signature spells it: a Float32's 0.1, not its float64 digits
        shown = "required" if default is REQUIRED else f"default {_value_text(default, p.type)}"
        lines.append(f"  --{p.name} {p.type}".ljust(28) + f" {shown}")
    return USAGE + "\n".join(lines) + "\n"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _Usage(message)


def _common(prog: str) -> _Parser:
    p = _Parser(prog=f"mojolite {prog}", allow_abbrev=False, add_help=False)
    p.add_argument("file")
    for level in range(4):
        p.add_argument(f"-O{level}", dest="opt", action="store_const", const=level)
    p.add_argument("--fastmath", action="store_true")
    p.set_defaults(opt=3)
    return p


def _load(path: str, opt: int, reference: bool = False, timings=None, entries=None,
          release: bool = False, cached: bool = False, fastmath: bool = False):
    """The module of the program at `path`; `cached`: from the disk cache when
    it holds it (machine code and signatures only: enough to run it)."""
    from .api import Module, Options, file_source, import_pipeline, open_module
    source = file_source(path)
    # Compiled whole before it runs (no lazily linked calls), as Mojo builds ahead of
    # time: the clocks a program reads (`perf_counter_ns`) then time its own work only.
    options = Options(opt=opt, reference=reference, entries=entries, boundscheck=not release,
                      fastmath=fastmath, lazy=False)
    if cached:
        return open_module(source, options, timings)
    import_pipeline(timings)
    return Module(source, options, timings)


def cmd_run(argv: list[str]) -> int:
    p = _common("run")
    p.add_argument("--reference", action="store_true")
    p.add_argument("--timings", action="store_true")
    p.add_argument("--release", action="store_true")
    p.add_argument("--explain-cache", action="store_true")
    args, extra = p.parse_known_args(argv)
    from .api import Timings
    from .errors import UserError
    if args.explain_cache:
        import os
        os.environ["MOJOLITE_EXPLAIN_CACHE"] = "1"
    timings = Timings() if args.timings else None
    module = _load(args.file, args.opt, args.reference, timings, entries=("main",),
                   release=args.release, cached=True, fastmath=args.fastmath)
    main_fn = module.program.get("main")
    _check_main(module, main_fn)
    if main_fn is None:
        src = module.source
        raise UserError("this program has no `main` function", src.span(0, min(1, len(src.text))),
                        hint="add `fn main():` — `mojolite run` starts there")
    values = _main_arguments(main_fn, extra)
    cut = len(values) if main_fn.positional is None else main_fn.positional
    values, named = values[:cut], {p.name: v for p, v in zip(main_fn.params[cut:],
                                                             values[cut:])}
    if not args.reference:
        module.jit()        # compile before running, so --timings shows compile alone
    if timings is not None:
        sys.stderr.write(timings.report() + "\n")
    if args.reference:
        module.call("main", values, named)
    else:
        _interruptible(module.call, "main", values, named)
    sys.stdout.flush()
    return 0


def _interruptible(call, *args):
    """`call(*args)` (machine code) with Ctrl-C ending the process at once, as it
    ends a compiled program: Python runs its SIGINT handler only between bytecodes,
    so a KeyboardInterrupt would wait for `main` to return, forever in a loop."""
    import threading
    if threading.current_thread() is not threading.main_thread():
        return call(*args)
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        return call(*args)
    finally:
        signal.signal(signal.SIGINT, previous)


MAIN_TAKES = ("main may take only parameters set from the command line: Int, UInt, the "
              "fixed-width integers, Float32, Float64, Bool and String")


def _check_main(module, fn) -> None:
    """A `main` that `mojolite run` cannot call (compile-time parameters, or a
    parameter no flag can set) is an error at that parameter."""
    from .errors import UserError
    from .typesys import SIMD, STRING
    if fn is None:
        generic = module.generic("main")
        if generic is not None:
            raise UserError("`main` cannot take compile-time parameters",
                            generic.fndef.ct_params[0].span, hint=MAIN_TAKES)
        return
    for p in fn.params:
        if not (p.type == STRING or isinstance(p.type, SIMD) and p.type.width == 1):
            raise UserError(f"main's parameter '{p.name}' has type {p.type}, which "
                            "`mojolite run` cannot set", p.span, hint=MAIN_TAKES)


def _main_arguments(fn, extra: list[str]) -> list:
    """Map `--name value` flags onto main's parameters, filling defaults. A Bool
    parameter's flag alone (`--verbose`, no value after it) sets it to True."""
    from .typesys import BOOL
    types = {p.name: p.type for p in fn.params}
    given: dict[str, str] = {}
    i = 0
    while i < len(extra):
        flag = extra[i]
        if flag in ("-h", "--help") and "help" not in types:
            raise _Help(_main_help(fn))
        if not flag.startswith("--"):
            raise _Usage(f"unexpected argument '{flag}' (main's parameters are set with "
                         "--name value)")
        if "=" in flag:
            name, value = flag[2:].split("=", 1)
            i += 1
        elif types.get(flag[2:].replace("-", "_")) == BOOL and (
                i + 1 == len(extra) or extra[i + 1].startswith("--")):
            name, value = flag[2:], "true"
            i += 1
        elif i + 1 == len(extra):
            raise _Usage(f"{flag} needs a value ({flag} value)")
        else:
            name, value = flag[2:], extra[i + 1]
            i += 2
        given[name.replace("-", "_")] = value
    names = [p.name for p in fn.params]
    for name in given:
        if name not in names:
            raise _Usage(f"main has no parameter '{name}' (it takes: "
                         f"{', '.join(names) or 'nothing'})")
    from .typesys import REQUIRED, default_of
    values = []
    for i, p in enumerate(fn.params):
        if p.name in given:
            values.append(_parse_value(p.name, given[p.name], p.type))
        elif default_of(fn, i) is not REQUIRED:
            values.append(default_of(fn, i))
        else:
            raise _Usage(f"main needs --{p.name} ({p.type})")
    return values


def _parse_value(name: str, text: str, t):
    from .typesys import SIMD, STRING, DType
    if t == STRING:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise _Usage(f"--{name}: the value is not valid UTF-8 text") from None
        return text
    if not isinstance(t, SIMD) or t.width != 1:
        raise _Usage(f"--{name}: parameters of type {t} cannot be set from the command line")
    try:
        if t.dtype is DType.bool:
            if text.lower() not in ("true", "false", "1", "0"):
                raise ValueError
            return text.lower() in ("true", "1")
        if t.dtype.is_float:
            from .semantics import round_to
            return round_to(float(text), t.dtype)
        v = int(text, 0)
    except ValueError:
        article = "an" if str(t)[0] in "AEIOU" else "a"
        raise _Usage(f"--{name} expects {article} {t}, got '{text}'") from None
    lo, hi = t.dtype.int_range
    if not lo <= v <= hi:
        from .errors import shown_int
        raise _Usage(f"--{name}: {shown_int(v)} does not fit in {t} ({lo} to {hi})")
    return v


def cmd_check(argv: list[str]) -> int:
    p = _common("check")
    args = p.parse_args(argv)
    module = _load(args.file, args.opt, reference=True)     # checked only: no machine code
    n = len(module.program.functions)
    sys.stdout.write(f"{args.file}: ok ({n} function{'s' * (n != 1)})\n")
    return 0


def cmd_ir(argv: list[str]) -> int:
    p = _common("ir")
    from .api import STAGES, dump_stage
    p.add_argument("--stage", choices=STAGES, default="opt")
    p.add_argument("--fn", dest="fn")
    args = p.parse_args(argv)
    module = _load(args.file, args.opt, fastmath=args.fastmath)
    text = dump_stage(module, args.stage, args.fn)
    if args.fn and not text.strip():
        raise _Usage(f"no function named '{args.fn}'")
    sys.stdout.write(text.rstrip("\n") + "\n")
    return 0


def cmd_cache(argv: list[str]) -> int:
    """`mojolite cache info`: where the cache is and what it holds;
    `mojolite cache clear`: delete every entry."""
    if len(argv) != 1 or argv[0] not in ("info", "clear"):
        raise _Usage("mojolite cache takes one of: info, clear")
    from . import cache
    if argv[0] == "info":
        sys.stdout.write(cache.info())
        return 0
    n, freed = cache.clear()
    sys.stdout.write(f"removed {n} cache entr{'y' if n == 1 else 'ies'} "
                     f"({cache._human(freed)}) from {cache.directory()}\n")
    return 0


def _show_cache_warnings_plainly() -> None:
    """A `CacheWarning`, or any warning mojolite's own code gives (a bad
    MOJOLITE_NUM_THREADS), prints as `mojolite: warning: ...` (no Python source line)."""
    import os
    import warnings
    shown = warnings.showwarning
    package = os.path.dirname(os.path.abspath(__file__)) + os.sep

    def show(message, category, filename, lineno, file=None, line=None):
        if category.__name__ == "CacheWarning" or os.path.abspath(filename).startswith(package):
            (file or sys.stderr).write(f"mojolite: warning: {message}\n")
        else:
            shown(message, category, filename, lineno, file, line)
    warnings.showwarning = show
