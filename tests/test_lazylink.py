"""Lazily linked call edges (callgraph.split_unit, codegen/lazylink.py): a call made only
on some runs, to a function that loops, is compiled on its first call. Checked: which
calls are deferred, that only the branches taken get compiled, that results and fault
messages are those of the reference mode, threads meeting a stub together, a build that
fails, the disk cache across processes, and MOJOLITE_LAZY=0.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import mojolite
from mojolite import api

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = """\
fn total(a: Tensor[DType.float64]) -> Float64:
    var s = 0.0
    for i in range(a.dim(0)):
        s += a[i]
    return s

fn biggest(a: Tensor[DType.float64]) -> Float64:
    var m = a[0]
    for i in range(1, a.dim(0)):
        m = max(m, a[i])
    return m

fn at(a: Tensor[DType.float64], i: Int) raises -> Float64:
    var s = 0.0
    for k in range(2):
        if i < 0:
            raise Error("negative index")
        s += a[i] * Float64(k)
    return s

fn deeper(a: Tensor[DType.float64], i: Int) raises -> Float64:
    var s = 0.0
    for k in range(1):
        if i != 0:
            s += at(a, i)
    return s

fn pick(a: Tensor[DType.float64], what: Int, i: Int) raises -> Float64:
    if what == 0:
        return total(a)
    elif what == 1:
        return biggest(a)
    elif what == 2:
        return deeper(a, i)
    try:
        return at(a, i) if what == 3 else 0.0
    except:
        return -1.0
"""

A = np.array([3.0, -1.0, 4.0, 1.5])


def sym(name: str) -> str:
    return f"ml.{name}"


def linked(module, entry: str) -> set[str]:
    """The callees the unit of `entry` has linked so far."""
    return set(module.unit(entry).linker.callees)


def test_calls_on_branches_are_deferred_and_only_the_taken_ones_compiled():
    m = mojolite.compile(PROGRAM, "lazy.ml")
    unit = m.unit("pick")
    assert set(unit.lowered.lazy.values()) == {sym("total"), sym("biggest"), sym("deeper"),
                                               sym("at")}
    ir = str(unit.lowered.module)
    for name in ("total", "biggest", "deeper", "at"):
        assert f'define internal {{double, i1}} @"{sym(name)}"' not in ir
        assert f'@"lazy.{sym(name)}" = global ptr @"lazy.stub.{sym(name)}"' in ir
    assert linked(m, "pick") == set()
    assert m.pick(A, 0, 0) == A.sum()
    assert linked(m, "pick") == {sym("total")}
    assert m.pick(A, 1, 0) == 4.0
    assert m.pick(A, 0, 0) == A.sum()       # the slot now holds the address: no new unit
    assert linked(m, "pick") == {sym("total"), sym("biggest")}
    assert m.pick(A, 2, 2) == 4.0           # deeper's unit links `at` in turn
    assert linked(m, "pick") == {sym("total"), sym("biggest"), sym("deeper"), sym("at")}
    # `mojolite ir` and the dumps show the whole program, every call direct.
    whole = api.dump_stage(m, "ll", "pick")
    assert f'@"{sym("total")}"' in whole and "lazy.stub" not in whole


def test_a_collected_program_leaves_no_slots_behind():
    """The runtime's table of slots forgets a program's slots once it is collected."""
    import gc
    import weakref

    from mojolite.codegen import lazylink
    m = mojolite.compile(PROGRAM, "lazy.ml")
    assert m.pick(A, 2, 2) == 4.0                # the entry unit and deeper's have slots
    me = weakref.ref(m.unit("pick").linker)      # the same object as the table holds

    def mine():
        return [a for a, (linker, _) in lazylink._slots.items() if linker is me]
    assert len(mine()) == 5
    del m
    gc.collect()
    assert me() is None and mine() == []


def test_results_and_faults_agree_with_the_reference_mode():
    jit = mojolite.compile(PROGRAM, "lazy.ml")
    ref = mojolite.compile(PROGRAM, "lazy.ml", reference=True)
    for what, i in [(0, 0), (1, 0), (2, 0), (2, 3), (3, 1), (3, -7), (4, 0)]:
        assert jit.pick(A, what, i) == ref.pick(A, what, i), (what, i)
    # A fault two lazily linked units down names its own line and column, and a
    # `raise` in a linked unit reaches Python with the same message.
    for what, i in [(2, 9), (2, -1)]:
        with pytest.raises(mojolite.RuntimeFault) as fast:
            jit.pick(A, what, i)
        with pytest.raises(mojolite.RuntimeFault) as slow:
            ref.pick(A, what, i)
        assert str(fast.value) == str(slow.value)
        assert f"lazy.ml:{18 if i > 0 else 17}:" in str(fast.value)


def test_what_is_never_deferred():
    source = """\
fn fib(n: Int) -> Int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

@always_inline
fn inlined(n: Int) -> Int:
    var s = 0
    for i in range(n):
        s += i
    return s

fn small(n: Int) -> Int:
    return n * 2

fn looping(n: Int) -> Int:
    var s = 0
    for i in range(n):
        s += i * i
    return s

fn known[k: Int](n: Int) -> Int:
    if k > 0:
        return looping(n)
    return 0

fn main_entry(n: Int) -> Int:
    var s = looping(n) + known[1](n)
    if n > 3:
        s += fib(n) + inlined(n) + small(n)
    return s
"""
    m = mojolite.compile(source, "eager.ml")
    # fib is recursive, inlined is @always_inline, small has no loop, `looping` is
    # called on every run (and under a condition known while compiling).
    assert m.unit("main_entry").lowered.lazy == {}
    ref = mojolite.compile(source, "eager.ml", reference=True)
    assert m.main_entry(10) == ref.main_entry(10)


PARALLEL = """\
from algorithm import parallelize

fn row_sum(a: Tensor[DType.float64], r: Int) -> Float64:
    var s = 0.0
    for j in range(a.dim(1)):
        s += a[r, j]
    return s

fn sums(a: Tensor[DType.float64], out: Tensor[DType.float64], mode: Int):
    @parameter
    fn body(r: Int):
        if mode == 1:
            out[r] = row_sum(a, r)
        else:
            out[r] = -1.0
    parallelize[body](a.dim(0), 4)
"""


def test_pool_threads_meeting_a_stub_together_compile_it_once(monkeypatch):
    builds = []
    real = api.Module.lazy_unit

    def counting(self, callee, linker):
        builds.append((callee, threading.get_ident()))
        return real(self, callee, linker)
    monkeypatch.setattr(api.Module, "lazy_unit", counting)
    m = mojolite.compile(PARALLEL, "par.ml")
    assert set(m.unit("sums").lowered.lazy.values()) == {sym("row_sum")}
    a = np.arange(64.0 * 37).reshape(64, 37)
    out = np.zeros(64)
    m.sums(a, out, 1)
    np.testing.assert_array_equal(out, a.sum(axis=1))
    assert [c for c, _ in builds] == [sym("row_sum")]
    m.sums(a, out, 0)
    assert (out == -1.0).all() and len(builds) == 1


def test_a_build_that_fails_warns_and_faults_without_crashing(monkeypatch):
    def broken(self, callee, linker):
        raise RuntimeError("no LLVM today")
    monkeypatch.setattr(api.Module, "lazy_unit", broken)
    m = mojolite.compile(PROGRAM, "lazy.ml")
    with pytest.warns(RuntimeWarning, match="no LLVM today"):
        with pytest.raises(mojolite.RuntimeFault, match="internal error: compiling 'total'"):
            m.pick(A, 0, 0)
    assert m.pick(A, 4, 0) == 0.0           # the rest of the unit still runs
    monkeypatch.undo()
    assert m.pick(A, 0, 0) == A.sum()       # and the stub tries again


def test_mojolite_lazy_0_compiles_everything_up_front(monkeypatch):
    monkeypatch.setenv("MOJOLITE_LAZY", "0")
    m = mojolite.compile(PROGRAM, "lazy.ml")
    assert m.unit("pick").lowered.lazy == {}
    assert 'define internal {double, i1} @"ml.total"' in str(m.unit("pick").lowered.module)
    assert m.pick(A, 1, 0) == 4.0


SCRIPT = """\
import sys
import numpy as np
import mojolite
m = mojolite.load(sys.argv[1])
a = np.array([3.0, -1.0, 4.0, 1.5])
print(type(m.unit("pick").linker.module).__name__, m.pick(a, 1, 0), m.pick(a, 2, 3))
try:
    m.pick(a, 2, 9)
except mojolite.RuntimeFault as e:
    print(str(e).replace(chr(10), "|"))
"""


def test_linked_units_are_cached_and_hit_in_a_new_process(tmp_path):
    (tmp_path / "lazy.ml").write_text(PROGRAM)
    (tmp_path / "run.py").write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOJOLITE_")}
    env.update(PYTHONPATH=str(ROOT), MOJOLITE_CACHE="1", MOJOLITE_CACHE_DIR=str(tmp_path / "c"),
               MOJOLITE_EXPLAIN_CACHE="1")

    def run():
        r = subprocess.run([sys.executable, "run.py", "lazy.ml"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return r
    cold, warm = run(), run()
    assert "cache miss for lazy biggest of" in cold.stderr
    assert "cache miss for lazy at of" in cold.stderr
    assert "cache miss" not in warm.stderr, warm.stderr
    lines = cold.stdout.splitlines()
    assert lines[0] == "Module 4.0 1.5"
    assert warm.stdout.splitlines()[0] == "CachedModule 4.0 1.5"
    assert "lazy.ml:18:" in lines[1] and "out of bounds" in lines[1]
    assert warm.stdout.splitlines()[1:] == lines[1:]


def test_mojolite_run_compiles_the_whole_program_before_it_starts(tmp_path, monkeypatch):
    """A program's own clocks (`perf_counter_ns`) must not time a compile: the module
    `mojolite run` builds links nothing lazily, whatever the environment says."""
    from mojolite import cli
    monkeypatch.delenv("MOJOLITE_LAZY", raising=False)
    prog = tmp_path / "run.ml"
    prog.write_text(PROGRAM + "\nfn main(what: Int = 1) raises:\n"
                    "    var a = Tensor[DType.float64](3)\n    print(pick(a, what, 0))\n")
    module = cli._load(str(prog), 3, entries=("main",))
    jit = module.jit()
    assert jit.lowered.lazy == {} and jit.linker is None
    assert 'define internal {double, i1} @"ml.biggest"' in str(jit.lowered.module)
