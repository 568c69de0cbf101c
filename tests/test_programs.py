"""The program corpus: every tests/programs/NAME.ml prints NAME.out, under the
reference interpreter and under the JIT (-O3 and -O0). The reference mode is
the oracle; the JIT must agree with it byte for byte."""
from pathlib import Path

import pytest

import mojolite

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.ml"))


def run_main(path: Path, capsys, **options) -> str:
    module = mojolite.load(path, **options)
    module.main()
    return capsys.readouterr().out


def test_corpus_is_large_enough():
    assert len(PROGRAMS) >= 40


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_reference(path, capsys):
    assert run_main(path, capsys, reference=True) == path.with_suffix(".out").read_text()


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_jit_O3(path, capsys):
    assert run_main(path, capsys, opt=3) == path.with_suffix(".out").read_text()


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_jit_O0(path, capsys):
    assert run_main(path, capsys, opt=0) == path.with_suffix(".out").read_text()
