"""User errors, runtime faults and internal errors.

A `UserError` is the only thing a user sees: a message, a span, an optional label
under the caret and an optional hint. Compile errors are collected (up to
`MAX_ERRORS`) into one `CompileError`; a `RuntimeFault` is a checked failure of a
running program (division by zero, `raise Error(...)`). Anything else escaping a
stage is a compiler bug, reported as an `InternalError` whose Python traceback is
shown only when `MOJOLITE_DEBUG=1`.
"""
from __future__ import annotations

import functools

import _thread
import os
import sys

from .source import Span

MAX_ERRORS = 10


class MojoliteError(Exception):
    """Base of every error mojolite raises at its API boundary."""


class SourceFileError(MojoliteError, OSError):
    """A program file that cannot be read: a MojoliteError, and an OSError with
    the errno and file name of the failure (`except OSError` catches it,
    `e.errno == errno.ENOENT` for a missing file)."""

    def __init__(self, e: OSError, path: str):
        OSError.__init__(self, e.errno, e.strerror, path)

    def __str__(self) -> str:
        return f"error: cannot read {self.filename}: {self.strerror}"


class UserError(MojoliteError):
    def __init__(self, message: str, span: Span | None, label: str = "", hint: str = ""):
        super().__init__(message)
        self.message = message
        self.span = span
        self.label = label
        self.hint = hint

    def render(self, kind: str = "error") -> str:
        out = [f"{kind}: {self.message}"]
        if self.span is not None:
            out.append(self.span.render(self.label))
        if self.hint:
            out.append(f"  = help: {self.hint}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


class CompileError(MojoliteError):
    """One or more user errors found while parsing or checking."""

    def __init__(self, errors: list[UserError], more: bool = False):
        self.errors = errors
        self.more = more        # checking stopped with more errors than these to report
        super().__init__(str(self))

    def __str__(self) -> str:
        text = "\n\n".join(e.render() for e in self.errors)
        if self.more:
            text += f"\n\nthe first {len(self.errors)} errors; checking stopped there"
        elif len(self.errors) > 1:
            text += f"\n\n{len(self.errors)} errors"
        return text


class RuntimeFault(UserError):
    """A checked failure at run time (the program, not the compiler, is wrong)."""

    def render(self, kind: str = "runtime error") -> str:
        return super().render(kind)


class RaisedError(RuntimeFault):
    """An `Error` the program raised (`raise Error("...")`) and nothing caught;
    its span is the `raise` statement."""


class OutputRaised(Exception):
    """The reference mode's `print` found `sys.stdout` raising (a closed pipe, a
    replaced stream): the call raises `exception` itself, as the JIT's does
    (CALLBACK_RAISED), not as a compiler bug."""

    def __init__(self, exception: Exception):
        super().__init__(exception)
        self.exception = exception


# The message of the fault site that compiled code fails at when Python raised an
# exception inside one of its runtime callbacks (a KeyboardInterrupt from Ctrl-C while
# a kernel prints): ctypes would print the exception and drop it, so the callback keeps
# it here (`keep_callback_exception`) and the call raises it (`site_fault`). One kept
# after the call's last check (Ctrl-C in its last print) is raised as the call returns
# (`raise_kept`): the Python caller tests the list, the native one (`pynative`) the
# byte `callback_flag`, 1 while the list holds any.
CALLBACK_RAISED = "Python raised an exception while the kernel printed"
_callback_exceptions: list[BaseException] = []
callback_flag = bytearray(1)


def keep_callback_exception(e: BaseException) -> None:
    _callback_exceptions.append(e.with_traceback(None))
    callback_flag[0] = 1


def callback_raised() -> bool:
    return bool(_callback_exceptions)


def raise_kept(result=None):
    """`result`, the value of a call that returned, unless a runtime callback kept
    an exception meanwhile: then that exception, raised (`result` dropped: a
    returned List or array is freed with it)."""
    if _callback_exceptions:
        raise _take_callback_exception()
    callback_flag[0] = 0
    return result


def _take_callback_exception() -> BaseException:
    """The first exception kept since the last taken (the rest are dropped, as
    Python reports one of several Ctrl-C), a KeyboardInterrupt if none is."""
    kept = _callback_exceptions[:1] or [KeyboardInterrupt()]
    _callback_exceptions.clear()
    callback_flag[0] = 0
    return kept[0]


def site_fault(sites, templates, raised, site: int, a: int = 0, b: int = 0):
    """The runtime error of a fault at fault site `site` (`sites[site]` is
    (span, message)), its message filled with the values the code stored in
    ctx.a and ctx.b when the site is in `templates`; a `RaisedError` for an
    error that a `raise` at a site in `raised` made and nothing caught (whose
    message, when computed, is in the String block at `a`: `take_message`);
    the exception a runtime callback kept (CALLBACK_RAISED), as Python raised it,
    which also wins over a fault after it (Ctrl-C in the last print before one)."""
    span, message = sites[site]
    if message == CALLBACK_RAISED:
        return _take_callback_exception()
    if site in raised:
        if b < 0:           # a computed message: a = its heap block, b = ~length
            message = take_message(a, ~b)
        fault = RaisedError(message, span)
    else:
        if site in templates:
            message = message.format(a=a, b=b)
        fault = RuntimeFault(message, span)
    return _take_callback_exception() if _callback_exceptions else fault


STRING_HEADER = 8      # codegen/irtypes.py: a String block is {i64 refcount, bytes}


def take_message(block: int, n: int) -> str:
    """The text of a raised error's String block; the reference the failure
    record held is released (the block is freed when it was the last)."""
    import ctypes
    text = ctypes.string_at(block + STRING_HEADER, n).decode("utf-8", "replace")
    count = ctypes.c_int64.from_address(block)
    count.value -= 1
    if count.value == 0:
        _libc().free(ctypes.c_void_p(block))
    return text


@functools.cache
def _libc():
    import ctypes
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    return libc


class InternalError(MojoliteError):
    """A compiler bug. Never the user's fault; always says so."""


def shown_int(value: int) -> str:
    """An int as a message quotes it: whole up to 30 digits, else its first and last ten
    digits and how many there are (`1044388881...2624137216 (1234 digits)`). Callers
    keep to ints Python prints (4300 digits), as the literals' 2**4096 does."""
    text = str(abs(value))
    if len(text) > 30:
        text = f"{text[:10]}...{text[-10:]} ({len(text)} digits)"
    return "-" + text if value < 0 else text


def did_you_mean(name: str, candidates) -> str:
    """A hint naming the closest of `candidates` to a misspelt `name`, or "".

    Closeness is an edit distance where a change of case costs 1 and any other
    insertion, deletion or substitution 2; a candidate counts only within a third
    of the two lengths (plus one), as Python's own suggestions do, so `int` finds
    `Int` and `cout` finds `count`, but `sort` finds nothing like `Tensor`. A tie
    goes to the last in order: `float` finds Float64 rather than Float32."""
    best = None
    for c in sorted(candidates):
        if c == name or 2 * abs(len(c) - len(name)) * 3 > len(c) + len(name) + 3:
            continue
        cost = _edit_cost(name, c)
        if 3 * cost <= len(c) + len(name) + 3 and (best is None or cost <= best[0]):
            best = (cost, c)
    return f"did you mean '{best[1]}'?" if best else ""


def _edit_cost(a: str, b: str) -> int:
    """The edit distance of `did_you_mean` from `a` to `b`."""
    row = list(range(0, 2 * len(b) + 1, 2))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], 2 * i
        for j, y in enumerate(b, 1):
            sub = 0 if x == y else 1 if x.lower() == y.lower() else 2
            prev, row[j] = row[j], min(row[j] + 2, row[j - 1] + 2, prev + sub)
    return row[-1]


class recursion_limit:
    """`with recursion_limit(n):` Python's recursion limit raised to at least `n`
    while the block runs.

    The limit is one per process, so threads share the raise: the first one in
    saves the old limit and the last one out restores it. (A thread that put it
    back while another ran deeper than the old limit would make that one's next
    call a RecursionError past the point where Python can recover: a fatal error
    that ends the process.) `_thread`, not `threading`: this module is imported
    by `import mojolite`, and `threading` would cost it 2 ms."""
    _lock = _thread.allocate_lock()
    _users = 0
    _saved = 0

    def __init__(self, limit: int):
        self.limit = limit

    def __enter__(self):
        cls = recursion_limit
        with cls._lock:
            if cls._users == 0:
                cls._saved = sys.getrecursionlimit()
            cls._users += 1
            if sys.getrecursionlimit() < self.limit:
                sys.setrecursionlimit(self.limit)

    def __exit__(self, *exc):
        cls = recursion_limit
        with cls._lock:
            cls._users -= 1
            if cls._users == 0:
                sys.setrecursionlimit(cls._saved)


def debug_enabled() -> bool:
    return os.environ.get("MOJOLITE_DEBUG", "") not in ("", "0")
