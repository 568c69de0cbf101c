"""The documentation shows what is built: README.md's and docs/python.md's samples run
and print what the pages say, and every environment variable the code reads is on a page."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def blocks(text: str, lang: str = "") -> list[str]:
    """The fenced blocks of a page (of one language), their indentation removed."""
    found, body, indent, keep = [], None, 0, False
    for line in text.splitlines(True):
        fence = line.lstrip(" ")
        if fence.startswith("```") and body is None:
            body, indent, keep = [], len(line) - len(fence), fence[3:].strip() == lang
        elif fence.startswith("```"):
            if keep:
                found.append("".join(body))
            body = None
        elif body is not None:
            body.append(line[indent:])
    return found


def run_cli(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "MOJOLITE_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "mojolite", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_readme_python_sample(monkeypatch, capsys):
    sample = next(b for b in blocks(README, "python") if "m.fib(30)" in b)
    assert "m.fib(30)            # 832040" in sample
    monkeypatch.chdir(ROOT)                  # it loads examples/collatz.ml
    namespace = {}
    exec(sample, namespace)
    assert namespace["m"].fib(30) == 832040
    assert capsys.readouterr().out == "longest chain below 1000 starts at 871 with 178 steps\n"


def test_readme_error_sample(tmp_path):
    shown = blocks(README.split("\n## Errors\n", 1)[1])[0]
    (tmp_path / "t.ml").write_text("fn main():\n    var i = 1\n    var f = 2.0\n"
                                   "    print(i + f)\n")
    r = run_cli("run", "t.ml", cwd=tmp_path)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr == shown


def test_python_md_kernel_error_sample(tmp_path):
    page = (ROOT / "docs" / "python.md").read_text()
    shown = next(b for b in blocks(page) if "kernels.py:41:16" in b)
    lines = ["import mojolite", "from mojolite import Float64, Int", ""]
    lines += [""] * (37 - len(lines)) + ["if True:", "    @mojolite.fn",
                                         "    def add(a: Int, b: Float64) -> Float64:",
                                         "        return a + b", "", "add(1, 2.0)", ""]
    path = tmp_path / "kernels.py"
    path.write_text("\n".join(lines))
    r = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    message = r.stderr.split("mojolite.errors.CompileError: ", 1)[1]
    assert message == shown.replace("/home/me/proj/kernels.py", str(path))


def test_every_environment_variable_is_documented():
    code = "".join(p.read_text() for p in (ROOT / "mojolite").rglob("*.py"))
    pages = README + "".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    used = set(re.findall(r"MOJOLITE_[A-Z_]+[A-Z]", code))
    assert used, "the pattern finds nothing"
    assert sorted(v for v in used if v not in pages) == []


def test_the_readme_shows_every_command_line_option_and_no_other():
    from mojolite.cli import USAGE
    options = set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", USAGE))
    commands = "\n".join(line.split("#")[0] for line in blocks(
        README.split("\n## Using it\n", 1)[1], "sh")[0].splitlines()
        if line.startswith("mojolite "))
    shown = set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", commands))
    assert "--reference" in shown and sorted(shown - options - {"--help"}) == []
    assert sorted(o for o in options if o not in README) == []
