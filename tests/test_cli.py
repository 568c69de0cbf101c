"""The command line as a user meets it: output, exit status, and no tracebacks."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def mojolite(*args, stdin=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "MOJOLITE_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "mojolite", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


def write(tmp_path, text, name="p.ml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_run_example_with_flag():
    r = mojolite("run", ROOT / "examples" / "collatz.ml", "--limit", "1000")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "longest chain below 1000 starts at 871 with 178 steps\n"


def test_a_bad_thread_count_is_a_plain_warning(tmp_path, monkeypatch):
    # MOJOLITE_NUM_THREADS=abc: one `mojolite: warning:` line, no line of mojolite's source
    monkeypatch.setenv("MOJOLITE_NUM_THREADS", "abc")
    p = write(tmp_path, "from algorithm import parallelize\n"
                        "fn main():\n"
                        "    @parameter\n"
                        "    fn body(i: Int):\n"
                        "        pass\n"
                        "    parallelize[body](4)\n"
                        "    print('done')\n")
    r = mojolite("run", p)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "done\n"
    assert r.stderr.startswith("mojolite: warning: MOJOLITE_NUM_THREADS='abc' is not a positive "
                               "integer; using "), r.stderr
    assert r.stderr.count("\n") == 1, r.stderr


def test_reference_mode_agrees():
    r = mojolite("run", ROOT / "examples" / "collatz.ml", "--limit=1000", "--reference")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "longest chain below 1000 starts at 871 with 178 steps\n"


@pytest.mark.parametrize("command", ["run", "ir", "check", "cache"])
def test_help_of_each_command(command):
    r = mojolite(command, "--help")
    assert r.returncode == 0, r.stderr
    assert "mojolite run FILE.ml" in r.stdout and "[--release]" in r.stdout


@pytest.mark.parametrize("print_in_loop", [False, True])
def test_ctrl_c_ends_a_run_that_loops_forever(tmp_path, print_in_loop):
    """SIGINT while main's machine code runs ends the process at once, as it ends a
    compiled program (Python's handler would wait for main to return: it never did).
    A print in the loop used to swallow it with an "Exception ignored" traceback."""
    import signal
    p = write(tmp_path, "fn main():\n"
                        "    print('started')\n"
                        "    var i = 0\n"
                        "    while True:\n"
                        "        i = (i * 31 + 7) % 1000003\n"
                        + ("        if i % 1000 == 0:\n            print(i)\n" if print_in_loop else ""))
    env = {k: v for k, v in os.environ.items() if k != "MOJOLITE_DEBUG"}
    env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    run = subprocess.Popen([sys.executable, "-m", "mojolite", "run", str(p)], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert run.stdout.readline() == "started\n"
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=60)
    finally:
        run.kill()
        run.wait()
    assert run.returncode == -signal.SIGINT and err == ""


def test_bad_flag_value(tmp_path):
    r = mojolite("run", ROOT / "examples" / "collatz.ml", "--limit", "many")
    assert r.returncode == 2 and "--limit expects a Int" not in r.stderr
    assert "--limit expects an Int, got 'many'" in r.stderr
    r = mojolite("run", ROOT / "examples" / "collatz.ml", "--limit", str(10 ** 100))
    assert r.returncode == 2 and "--limit: 1000000000...0000000000 (101 digits) does not fit " \
                                 "in Int (-9223372036854775808 to 9223372036854775807)" in r.stderr


def test_unknown_flag():
    r = mojolite("run", ROOT / "examples" / "collatz.ml", "--size", "3")
    assert r.returncode == 2 and "main has no parameter 'size'" in r.stderr


@pytest.mark.parametrize("opt", ["-O0", "-O3"])
def test_division_by_zero_is_a_located_runtime_error(tmp_path, opt):
    p = write(tmp_path, "fn f(a: Int, b: Int) -> Int:\n    return a // b\n\n"
                        "fn main():\n    print(f(7, 0))\n")
    r = mojolite("run", p, opt)
    assert r.returncode == 1
    assert "runtime error: integer division by zero" in r.stderr
    assert f"{p}:2:12" in r.stderr and "^^^^^^" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("mode", [[], ["--reference"]])
def test_closed_output_pipe_ends_the_run_quietly(tmp_path, mode):
    """`mojolite run f.ml | head -1`: once the reader is gone the run stops, as a
    compiled program does (SIGPIPE), with no traceback and no 'internal error'."""
    p = write(tmp_path, "fn main():\n    while True:\n        print(1)\n")
    env = {k: v for k, v in os.environ.items() if k != "MOJOLITE_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen([sys.executable, "-m", "mojolite", "run", str(p), *mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout.readline() == b"1\n"
    proc.stdout.close()
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert err == b"" and proc.returncode == -13     # killed by SIGPIPE


def test_uncaught_raise(tmp_path):
    p = write(tmp_path, "fn main() raises:\n    print(1)\n    raise Error(\"gave up\")\n")
    for mode in ([], ["--reference"]):
        r = mojolite("run", p, *mode)
        assert r.returncode == 1 and r.stdout == "1\n"
        assert "runtime error: gave up" in r.stderr and f"{p}:3:5" in r.stderr


def test_uncaught_raise_with_a_computed_message(tmp_path):
    p = write(tmp_path, "fn main(n: Int = 7) raises:\n"
                        "    raise Error(\"n is \" + String(n) + \", limit \" + String(1.5))\n")
    for mode in ([], ["--reference"]):
        r = mojolite("run", p, *mode, "--n", "42")
        assert r.returncode == 1 and r.stdout == ""
        assert "runtime error: n is 42, limit 1.5" in r.stderr and f"{p}:2:5" in r.stderr


def test_missing_main(tmp_path):
    r = mojolite("run", write(tmp_path, "fn helper() -> Int:\n    return 1\n"))
    assert r.returncode == 1 and "has no `main` function" in r.stderr and ":1:1" in r.stderr



@pytest.mark.parametrize("text, where, message", [
    ("fn main(t: Tensor[DType.float64]):\n    pass\n", ":1:9",
     "main's parameter 't' has type Tensor[DType.float64], which `mojolite run` cannot set"),
    ("fn main(n: Int, v: SIMD[DType.float32, 4]):\n    pass\n", ":1:17",
     "main's parameter 'v' has type SIMD[DType.float32, 4], which `mojolite run` cannot set"),
    ("fn main[n: Int]():\n    print(n)\n", ":1:9", "`main` cannot take compile-time parameters"),
])
def test_a_main_that_run_cannot_call_is_a_located_error(tmp_path, text, where, message):
    p = write(tmp_path, text)
    for _ in range(2):                  # the second run loads the program from the disk cache
        r = mojolite("run", p)
        assert r.returncode == 1 and r.stdout == ""
        assert f"error: {message}" in r.stderr and f"{p}{where}" in r.stderr, r.stderr
        assert ("= help: main may take only parameters set from the command line: Int, "
                "UInt, the fixed-width integers, Float32, Float64, Bool and String\n"
                in r.stderr) and "usage:" not in r.stderr

@pytest.mark.parametrize("text", ["", "fn main(:\n", "fn main():\n    var x = 1 +\n",
                                  "\x00\x01garbage ))) \n", "fn main():\n\tpass\n",
                                  "fn main():\n    print(nope)\n"])
def test_bad_input_never_tracebacks(tmp_path, text):
    r = mojolite("run", write(tmp_path, text))
    assert r.returncode == 1, r.stderr
    assert "error" in r.stderr and "Traceback" not in r.stderr
    assert "p.ml:" in r.stderr


def test_missing_file(tmp_path):
    r = mojolite("run", tmp_path / "nope.ml")
    assert r.returncode == 1 and "cannot read" in r.stderr and "Traceback" not in r.stderr


def test_a_byte_order_mark_is_skipped(tmp_path):
    p = tmp_path / "bom.ml"
    p.write_bytes(b"\xef\xbb\xbffn main():\n    print(1 + 2.5)\n    print(nope)\n")
    r = mojolite("run", p)
    assert r.returncode == 1 and f"{p}:3:11" in r.stderr, r.stderr


def test_a_file_that_is_not_utf8_is_a_located_error(tmp_path):
    p = tmp_path / "latin1.ml"
    p.write_bytes(b'fn main():\n    print("caf\xe9")\n')
    r = mojolite("run", p, "--reference")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.splitlines()[:2] == ["error: this file is not UTF-8 text (byte 0xe9)",
                                         f"  --> {p}:2:15"]


def test_check_command():
    r = mojolite("check", ROOT / "examples" / "collatz.ml")
    assert r.returncode == 0 and "ok" in r.stdout


def test_ir_opt_shows_source_lines_above_ir():
    r = mojolite("ir", ROOT / "examples" / "collatz.ml", "--stage", "opt", "--fn", "steps")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    comment = [i for i, l in enumerate(lines) if l.strip().startswith("; line 7:")]
    assert comment, r.stdout
    assert "while n != 1:" in lines[comment[0]]
    # the comment sits above real instructions
    assert any("=" in l or "br " in l for l in lines[comment[0] + 1:comment[0] + 4])


@pytest.mark.parametrize("stage", ["ast", "typed", "ll", "asm"])
def test_ir_stages(stage):
    r = mojolite("ir", ROOT / "examples" / "collatz.ml", "--stage", stage)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()


def test_typed_dump_names_callees_and_spells_types(tmp_path):
    """`--stage typed` shows a call by its callee's name (the callee's own tree is
    dumped once, as its function) and types as the program spells them."""
    path = tmp_path / "calls.ml"
    path.write_text("fn half(x: Float64) -> Float64:\n    return x / 2.0\n\n"
                    "fn main():\n    var t = Tensor[DType.int8](3)\n"
                    "    print(half(half(1.0)), t[0])\n")
    r = mojolite("ir", path, "--stage", "typed")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.count("Return ") == 1                   # half's body: once, in its own dump
    assert out.count("Call fn=half : Float64") == 2
    assert "Tensor[DType.int8]" in out and "DType.int8:" not in out and "SIMD(" not in out


def test_timings_report_total(tmp_path):
    r = mojolite("run", ROOT / "examples" / "collatz.ml", "--limit", "10", "--timings")
    assert r.returncode == 0, r.stderr
    for stage in ("parse", "check", "lower", "optimise", "total"):
        assert stage in r.stderr


def test_python_call_checks_arguments():
    import mojolite
    m = mojolite.compile("fn f(a: Int32, b: Float32 = 0.5) -> Float32:\n"
                         "    return Float32(a) + b\n")
    assert m.f(3) == 3.5 and m.f(3, 0.25) == 3.25
    with pytest.raises(TypeError, match=r"f\(\): parameter 'a' expects Int32 .*out of range"):
        m.f(2**40)
    with pytest.raises(TypeError, match="parameter 'a' expects Int32, got str"):
        m.f("x")
    with pytest.raises(TypeError, match="takes 1 to 2 arguments, but 3 were given"):
        m.f(1, 2, 3)


def test_runtime_fault_from_python_keeps_interpreter_alive():
    import mojolite
    for reference in (False, True):
        m = mojolite.compile("fn f(a: Int, b: Int) -> Int:\n    return a % b\n", "t.ml",
                             reference=reference)
        with pytest.raises(mojolite.RuntimeFault) as info:
            m.f(1, 0)
        assert info.value.message == "integer modulo by zero"
        assert (info.value.span.line, info.value.span.column) == (2, 12)
        assert m.f(7, -2) == -1


MAIN_WITH_PARAMS = """\
fn main(name: String = "bob", n: Int = 2, ok: Bool = False, f: Float32 = 0.1, i: Int32 = -3):
    if name == "alice":
        print("hello alice")
    print(name, n, ok, f, i, sep="|")
"""


@pytest.mark.parametrize("mode", [[], ["--reference"], ["-O0"]])
@pytest.mark.parametrize("flags, expected", [
    ([], "bob|2|False|0.1|-3\n"),
    (["--name", "alice"], "hello alice\nalice|2|False|0.1|-3\n"),
    (["--name=ünï code", "--ok", "true", "--f", "2.25", "--i", "7"],
     "ünï code|2|True|2.25|7\n"),
    (["--name", "", "--ok=1", "--f", "0.3", "--i", "-2147483648"], "|2|True|0.3|-2147483648\n"),
    (["--ok", "--n", "-5"], "bob|-5|True|0.1|-3\n"),        # a Bool's flag alone: True
    (["--n", "5", "--ok"], "bob|5|True|0.1|-3\n"),
])
def test_main_parameters_of_every_kind_from_flags(tmp_path, mode, flags, expected):
    p = write(tmp_path, MAIN_WITH_PARAMS)
    r = mojolite("run", p, *mode, *flags)
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected


@pytest.mark.parametrize("flags, message", [
    (["--i", "2147483648"], "--i: 2147483648 does not fit in Int32"),
    (["--ok", "yes"], "--ok expects a Bool, got 'yes'"),
    (["--f", "x"], "--f expects a Float32, got 'x'"),
    (["--n", "1", "--i"], "--i needs a value (--i value)"),
    (["--n", "1", "--name"], "--name needs a value"),
])
def test_main_parameter_flag_errors(tmp_path, flags, message):
    p = write(tmp_path, MAIN_WITH_PARAMS)
    r = mojolite("run", p, *flags)
    assert r.returncode == 2 and message in r.stderr, r.stderr


@pytest.mark.parametrize("mode", [[], ["--reference"]])
def test_main_keyword_only_parameters_from_flags(tmp_path, mode):
    p = write(tmp_path, "fn main(a: Int = 1, *, b: Int, c: Int = 10):\n    print(a, b, c)\n")
    r = mojolite("run", p, *mode, "--b", "3", "--a", "2")
    assert r.returncode == 0 and r.stdout == "2 3 10\n", r.stderr
    r = mojolite("run", p, *mode)
    assert r.returncode == 2 and "main needs --b (Int)" in r.stderr, r.stderr


@pytest.mark.parametrize("mode", [[], ["--reference"]])
def test_main_positional_only_parameters_from_flags(tmp_path, mode):
    # the flags name them all the same: the run passes them by position
    p = write(tmp_path, "fn main(a: Int, b: Int = 2, /, c: Int = 10):\n    print(a, b, c)\n")
    r = mojolite("run", p, *mode, "--b", "3", "--a", "1", "--c", "4")
    assert r.returncode == 0 and r.stdout == "1 3 4\n", r.stderr
    r = mojolite("run", p, *mode, "--a", "5")
    assert r.returncode == 0 and r.stdout == "5 2 10\n", r.stderr


def test_help_after_the_file_lists_mains_parameters(tmp_path):
    r = mojolite("run", write(tmp_path, MAIN_WITH_PARAMS), "--help")
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.startswith("usage: mojolite run FILE.ml")
    assert r.stdout.split("main's parameters:\n")[1].split("\n")[:5] == [
        '  --name String              default "bob"',
        "  --n Int                    default 2",
        "  --ok Bool                  default False",
        "  --f Float32                default 0.1",      # was 0.10000000149011612
        "  --i Int32                  default -3"]

