"""The object loader (mojolite/objload.py): cached machine code mapped without LLVM.

Each program is compiled once (MCJIT writes its object to a cache directory of the
test's own), then loaded from that cache twice, by `objload` and by MCJIT
(`MOJOLITE_OBJLOAD=0`): the three must compute the same values, print the same text
and report the same faults, and `objload` must really have mapped the code (a wrapper
records every object it loads). Objects it cannot handle (damaged, another machine, an
unknown relocation, a missing symbol) must raise its own errors, and the cache must then
fall back to MCJIT. A fresh process loading from a filled cache must not import llvmlite.
"""
from __future__ import annotations

import math
import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import mojolite
from mojolite import objload

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("MOJOLITE_OBJLOAD", raising=False)
    return tmp_path / "c"


@pytest.fixture
def mapped(monkeypatch):
    """Every object `objload.load` maps (or the LoadError it raises), in order."""
    record = []
    real = objload.load

    def load(data, symbols):
        try:
            obj = real(data, symbols)
        except objload.LoadError as e:
            record.append(e)
            raise
        record.append(obj)
        return obj
    monkeypatch.setattr(objload, "load", load)
    return record


def three_ways(src: str, name: str, run, monkeypatch, mapped) -> list:
    """run(module) for a cold compile, an objload hit and an MCJIT hit."""
    cold = run(mojolite.compile(src, name))
    del mapped[:]
    warm = run(mojolite.compile(src, name))
    assert mapped and all(isinstance(m, objload.LoadedObject) for m in mapped), mapped
    monkeypatch.setenv("MOJOLITE_OBJLOAD", "0")
    n = len(mapped)
    mcjit = run(mojolite.compile(src, name))
    assert len(mapped) == n                      # this one went through MCJIT
    monkeypatch.delenv("MOJOLITE_OBJLOAD")
    return [cold, warm, mcjit]


# ------------------------------------------------------------------ programs
MATH = """\
from math import sin, cos, exp, log, sqrt, tanh

fn f(x: Float64) -> Float64:
    return sin(x) * exp(-x) + log(1.0 + x * x) + sqrt(x * x + 1.0) + tanh(x) + x ** 1.7

fn g(x: Float32) -> Float32:
    return cos(x) * Float32(3.5) + exp(x)

fn wrap(a: Int, b: Int) -> Int:
    return (a * 2654435761) % b + (a >> 3) ^ b
"""


def test_scalar_math_and_libm(cache_dir, monkeypatch, mapped):
    xs = [0.0, 0.5, 1.25, 3.0, 10.5]

    def run(m):
        return ([m.f(x) for x in xs], [m.g(x) for x in xs],
                [m.wrap(a, b) for a in (3, 12345, 2**40) for b in (7, 1000003)])
    cold, warm, mcjit = three_ways(MATH, "math.ml", run, monkeypatch, mapped)
    assert cold == warm == mcjit
    assert warm[0][1] == pytest.approx(math.sin(0.5) * math.exp(-0.5) + math.log(1.25) +
                                       math.sqrt(1.25) + math.tanh(0.5) + 0.5 ** 1.7)


PRINT = """\
fn main():
    var s: Float64 = 0.0
    for i in range(5):
        s += Float64(i) / 3.0
        print("step", i, s, i % 2 == 0, UInt8(250 + i))
    print(Float32(1.5) * Float32(i_of(2)))

fn i_of(k: Int) -> Int:
    return k * 21
"""


def test_print(cache_dir, monkeypatch, mapped, capsys):
    def run(m):
        m.main()
        return capsys.readouterr().out
    cold, warm, mcjit = three_ways(PRINT, "print.ml", run, monkeypatch, mapped)
    assert cold == warm == mcjit and "step 4" in warm and "63.0" in warm


TENSORS = """\
fn scale(a: Tensor[DType.float64], k: Float64, out: Tensor[DType.float64]):
    for i in range(a.dim(0)):
        for j in range(a.dim(1)):
            out[i, j] = a[i, j] * k + Float64(i - j)

fn total(a: Tensor[DType.int32]) -> Int:
    var s = 0
    for i in range(a.dim(0)):
        s += Int(a[i])
    return s

fn make(n: Int) -> Tensor[DType.float32]:
    var t = Tensor[DType.float32](n)
    for i in range(n):
        t[i] = Float32(i) * 0.5
    return t
"""


def test_tensors_through_numpy(cache_dir, monkeypatch, mapped):
    a = np.arange(12.0).reshape(3, 4)

    def run(m):
        out = np.zeros_like(a)
        m.scale(a, 2.5, out)
        return out.tolist(), m.total(np.arange(100, dtype=np.int32)), m.make(7).tolist()
    cold, warm, mcjit = three_ways(TENSORS, "tensors.ml", run, monkeypatch, mapped)
    assert cold == warm == mcjit
    assert warm[1] == 4950 and warm[2] == [i * 0.5 for i in range(7)]


PARALLEL = """\
from algorithm import parallelize

fn squares(n: Int, out: Tensor[DType.int64]):
    @parameter
    fn body(i: Int):
        out[i] = Int64(i * i % 97)
    parallelize[body](n, 2)

fn checked(n: Int, out: Tensor[DType.int64]):
    @parameter
    fn body(i: Int):
        out[i + 1] = 1
    parallelize[body](n)
"""


def test_parallelize(cache_dir, monkeypatch, mapped):
    def run(m):
        out = np.zeros(1000, dtype=np.int64)
        m.squares(1000, out)
        with pytest.raises(mojolite.RuntimeFault) as e:
            m.checked(1000, np.zeros(1000, dtype=np.int64))
        return out.tolist(), str(e.value)
    cold, warm, mcjit = three_ways(PARALLEL, "par.ml", run, monkeypatch, mapped)
    assert cold == warm == mcjit
    assert warm[0] == [i * i % 97 for i in range(1000)]
    assert "par.ml:12:" in warm[1] and "^" in warm[1]


FAULTS = """\
fn ratio(a: Int, b: Int) -> Int:
    return a // b

fn check(x: Int) raises -> Int:
    if x > 10:
        raise Error("too big")
    return x * 2

fn caught(x: Int) -> Int:
    try:
        return check(x)
    except e:
        print("caught:", e)
        return -1
"""


def test_faults_and_raises_keep_their_messages(cache_dir, monkeypatch, mapped, capsys):
    def run(m):
        with pytest.raises(mojolite.RuntimeFault) as fault:
            m.ratio(7, 0)
        with pytest.raises(mojolite.RaisedError) as raised:
            m.check(11)
        return (m.ratio(7, 2), m.check(4), str(fault.value), str(raised.value), m.caught(12),
                capsys.readouterr().out)
    cold, warm, mcjit = three_ways(FAULTS, "faults.ml", run, monkeypatch, mapped)
    assert cold == warm == mcjit
    assert "faults.ml:2:12" in warm[2] and "division by zero" in warm[2]
    assert "too big" in warm[3] and warm[5] == "caught: too big\n"


VECTORS = """\
from algorithm import vectorize

fn poly(p: UnsafePointer[Float32], q: UnsafePointer[Float32], n: Int):
    @parameter
    fn body[width: Int](i: Int):
        var x = p.load[width=width](i)
        var y = ((x * 0.25 + 1.5) * x - 3.75) * x + 0.125
        q.store[width=width](i, min(max(y, SIMD[DType.float32, width](-7.0)), 11.5))
    vectorize[body, 16](n)

fn lanes(n: Int) -> Float64:
    var p = UnsafePointer[Float32].alloc(n)
    var q = UnsafePointer[Float32].alloc(n)
    for i in range(n):
        p[i] = Float32(i % 13) - 6.0
    poly(p, q, n)
    var v = SIMD[DType.float64, 8](1.0, 2.0, 3.0, 5.0, 7.0, 11.0, 13.0, 17.0)
    var w = SIMD[DType.int32, 16](3)
    var s: Float64 = (v * 0.5 + 0.25).reduce_add() + Float64(w.reduce_add())
    for i in range(n):
        s += Float64(q[i])
    p.free()
    q.free()
    return s
"""


def test_vectorize_wide_vectors_and_constant_pools(cache_dir, monkeypatch, mapped):
    def run(m):
        return [m.lanes(n) for n in (1, 15, 16, 17, 100, 1001)]
    cold, warm, mcjit = three_ways(VECTORS, "vec.ml", run, monkeypatch, mapped)
    assert cold == warm == mcjit


def test_the_corpus_loads_through_objload(cache_dir, monkeypatch, mapped, capsys):
    """A slice of tests/programs: each prints its .out when loaded by objload."""
    paths = sorted((ROOT / "tests" / "programs").glob("*.ml"))[::6]
    for path in paths:
        mojolite.load(path).main()
        capsys.readouterr()
    del mapped[:]
    for path in paths:
        mojolite.load(path).main()
        assert capsys.readouterr().out == path.with_suffix(".out").read_text(), path.name
    assert mapped and all(isinstance(m, objload.LoadedObject) for m in mapped), mapped


# ------------------------------------------------------------------ falling back
def test_a_refused_object_falls_back_to_mcjit(cache_dir, monkeypatch, capsys):
    mojolite.compile(MATH, "math.ml").f(0.5)
    want = mojolite.compile(MATH, "math.ml").f(0.5)

    def refuse(data, symbols):
        raise objload.Unsupported("relocation type 99 in .ltext")
    monkeypatch.setattr(objload, "load", refuse)
    monkeypatch.setenv("MOJOLITE_EXPLAIN_CACHE", "1")
    hit = mojolite.compile(MATH, "math.ml")
    assert type(hit).__name__ == "CachedModule"
    assert hit.f(0.5) == want
    assert "loading cached code with MCJIT: relocation type 99" in capsys.readouterr().err


def _an_object(cache_dir: Path) -> bytes:
    """The object code of a compiled function in `cache_dir` (not a native caller's)."""
    import pickle

    from mojolite import cache
    for p in sorted((cache_dir / "entries").glob("*.mlc")):
        entry = pickle.loads(p.read_bytes()[cache._HEADER:])
        if entry.get("object") and "functions" in entry["meta"]:
            return entry["object"]
    raise AssertionError("no object code in the cache")


def test_damaged_and_foreign_objects_are_refused(cache_dir):
    mojolite.compile(PRINT, "print.ml").main()
    good = _an_object(cache_dir)
    from mojolite.codegen import runtime
    table = runtime.symbols()
    assert isinstance(objload.load(good, table), objload.LoadedObject)
    with pytest.raises(objload.Unsupported, match="not an ELF"):
        objload.load(b"\0" * 100, table)
    with pytest.raises(objload.Unsupported, match="not an ELF"):
        objload.load(good[:10], table)
    foreign = bytearray(good)
    struct.pack_into("<H", foreign, 18, 183)            # e_machine = AArch64
    with pytest.raises(objload.Unsupported, match="machine 183"):
        objload.load(bytes(foreign), table)
    with pytest.raises(objload.Unsupported):
        objload.load(good[:len(good) // 2], table)      # sections cut off
    with pytest.raises(objload.Unresolved, match="mojolite_print"):
        objload.load(good, {})                          # no runtime callbacks
    # A section it cannot place: the code made thread-local.
    shoff, = struct.unpack_from("<Q", good, 40)
    sections, _ = objload.parse(good)
    code = next(s for s in sections if s.flags & objload.SHF_EXECINSTR and s.size)
    tls = bytearray(good)
    struct.pack_into("<Q", tls, shoff + 64 * code.index + 8, code.flags | objload.SHF_TLS)
    with pytest.raises(objload.Unsupported, match="thread-local section"):
        objload.load(bytes(tls), table)


def test_an_unknown_relocation_type_is_refused(cache_dir):
    mojolite.compile(MATH, "math.ml").f(1.0)
    good = _an_object(cache_dir)
    sections, _ = objload.parse(good)
    rela = next(s for s in sections if s.type == objload.SHT_RELA and
                objload._is_loaded(sections[s.info]))
    bad = bytearray(good)
    struct.pack_into("<I", bad, rela.offset + 8, 99)    # the first entry's r_type
    from mojolite.codegen import runtime
    with pytest.raises(objload.Unsupported, match="relocation type 99"):
        objload.load(bytes(bad), runtime.symbols())


# ------------------------------------------------------------------ other code models
def test_small_code_model_pic_relocations():
    """PC32, PLT32 (through stubs to far functions) and GOTPCREL, which MCJIT's
    large-model objects do not use, on an object compiled here in the small model."""
    import ctypes

    import llvmlite.binding as llvm

    from mojolite import jit
    jit._initialise()
    ir = textwrap.dedent("""\
        @k = internal constant [4 x double] [double 1.5, double 2.5, double 3.5, double 4.5]
        @count = internal global i64 0
        @ext_value = external global double
        declare double @sin(double)
        define internal double @twice(double %x) noinline {
          %y = fmul double %x, 2.0
          ret double %y
        }
        define double @f(double %x, i64 %i) {
          %s = call double @sin(double %x)
          %p = getelementptr [4 x double], ptr @k, i64 0, i64 %i
          %c = load double, ptr %p
          %e = load double, ptr @ext_value
          %t = call double @twice(double %c)
          %a = fadd double %s, %t
          %b = fadd double %a, %e
          %n = load i64, ptr @count
          %n1 = add i64 %n, 1
          store i64 %n1, ptr @count
          ret double %b
        }
        define i64 @calls() {
          %n = load i64, ptr @count
          ret i64 %n
        }
        """)
    mod = llvm.parse_assembly(ir)
    target = llvm.Target.from_triple(llvm.get_process_triple())
    tm = target.create_target_machine(reloc="pic", codemodel="small", opt=2)
    mod.triple = llvm.get_process_triple()
    mod.data_layout = str(tm.target_data)
    data = tm.emit_object(mod)
    sections, syms = objload.parse(data)
    kinds = {r[1] for r in objload._relocations(data, sections, syms)}
    assert objload.R_X86_64_PLT32 in kinds
    assert kinds & {objload.R_X86_64_GOTPCREL, objload.R_X86_64_REX_GOTPCRELX}
    ext = ctypes.c_double(100.0)
    obj = objload.load(data, {"ext_value": ctypes.addressof(ext)})
    f = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double, ctypes.c_int64)(
        obj.get_function_address("f"))
    calls = ctypes.CFUNCTYPE(ctypes.c_int64)(obj.get_function_address("calls"))
    for i, x in enumerate((0.0, 0.5, 1.0, 2.0)):
        assert f(x, i) == math.sin(x) + 2 * (1.5 + i) + 100.0
    assert calls() == 4
    assert obj.get_function_address("twice") == 0        # internal: not exported


# ------------------------------------------------------------------ a fresh process
def _fresh_process(script: str, tmp_path, *path: str) -> list[str]:
    """The lines `script` prints in a new Python process, with the disk cache on in
    tmp_path/c (and `path` also importable); objload as it is by default."""
    env = {**os.environ, "MOJOLITE_CACHE": "1", "MOJOLITE_CACHE_DIR": str(tmp_path / "c"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), *path, os.environ.get("PYTHONPATH", "")])}
    env.pop("MOJOLITE_OBJLOAD", None)
    r = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def test_a_warm_load_never_imports_llvmlite(tmp_path):
    prog = tmp_path / "p.ml"
    first, rest = MATH.split("\n", 1)
    prog.write_text(first + "\n" + PARALLEL + rest + "\n" + PRINT)
    script = textwrap.dedent(f"""\
        import sys
        import numpy as np
        had_pathlib = "pathlib" in sys.modules     # (an editable install's finder imports it)
        had_dataclasses = "dataclasses" in sys.modules
        import mojolite
        m = mojolite.load({str(prog)!r})
        out = np.zeros(100, dtype=np.int64)
        m.squares(100, out)
        assert out[99] == 99 * 99 % 97
        print(m.f(0.5))
        m.main()
        from mojolite.codegen import pool
        print(type(pool._runtime.holder).__name__)
        print(had_pathlib or "pathlib" not in sys.modules)    # 2 ms to import
        print(had_dataclasses or "dataclasses" not in sys.modules)     # 0.6 ms
        # neither the front end and its trees (syntax, typed: 50 ms on a slow machine)
        # nor the reference mode's rules (semantics, ops: 0.6 ms)
        print(sorted(m for m in sys.modules if m.split(".")[-1] in
                     ("parser", "syntax", "typed", "typecheck", "reference", "semantics",
                      "ops", "memory")
                     and m.startswith("mojolite.") and "codegen" not in m))
        print("llvmlite" in sys.modules)
        """)
    cold = _fresh_process(script, tmp_path)
    warm = _fresh_process(script, tmp_path)
    assert cold[:-5] == warm[:-5]
    assert cold[-1] == "True"                   # compiling loads LLVM
    assert warm[-5:] == ["LoadedObject", "True", "True", "[]", "False"]


def test_a_warm_call_of_an_inferred_generic_kernel_never_imports_the_parser(tmp_path):
    # Which instance `gsum(a)` needs was read off the kernel's parse by Lark (95 ms)
    # in every process, even with the instance in the disk cache; Python's own parse
    # of the def says it.
    (tmp_path / "gkernels.py").write_text(textwrap.dedent("""\
        from __future__ import annotations
        import mojolite
        from mojolite import DType, Int, Mut, Param, Scalar, Tensor

        @mojolite.fn
        def gsum(a: Tensor[dt], dt: Param[DType]) -> Scalar[dt]:
            s = Scalar[dt](0)
            for i in range(a.dim(0)):
                s += a[i]
            return s

        @mojolite.fn
        def times(x: Scalar[dt], out: Mut[Int], a: mojolite.Tensor[dt], dt: Param[DType],
                  k: Param[Int] = 3) -> Scalar[dt]:
            out = k
            return x * Scalar[dt](k) + a[0]
        """))
    script = textwrap.dedent("""\
        import sys
        import numpy as np
        import gkernels
        print(gkernels.gsum(np.arange(4.0)), gkernels.gsum(np.arange(5, dtype=np.int8)))
        print(gkernels.times(np.float32(1.5), 0, a=np.ones(1, np.float32)))
        print("lark" in sys.modules, "mojolite.parser" in sys.modules)
        """)
    cold = _fresh_process(script, tmp_path, str(tmp_path))
    warm = _fresh_process(script, tmp_path, str(tmp_path))
    assert cold[:2] == warm[:2] == ["6.0 10", "5.5"]
    assert cold[2] == "True True" and warm[2] == "False False"
