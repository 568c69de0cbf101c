"""The spec's own example programs (../shared/spec/examples) print what their
comments say, in the reference mode and under the JIT. The expected text is
read from the `# ...` comment on each program's print line."""
import re

import pytest

import mojolite
from conftest import SHARED

EXAMPLES = sorted((SHARED / "spec" / "examples").glob("*.ml"))
# Programs that need a later issue; strict, so they fail loudly once it lands.
NOT_YET: dict[str, str] = {}


def expected_output(text: str) -> str:
    lines = []
    for line in text.splitlines():
        m = re.match(r"\s*print\(.*\)\s*#\s*(.*?)(?:\s+for n = .*)?$", line)
        if m:
            lines.append(m.group(1))
    return "".join(line + "\n" for line in lines)


def params():
    for path in EXAMPLES:
        marks = [pytest.mark.xfail(strict=True, raises=mojolite.CompileError,
                                   reason=NOT_YET[path.stem])] if path.stem in NOT_YET else []
        yield pytest.param(path, id=path.stem, marks=marks)


def test_the_spec_examples_are_there():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("reference", [True, False], ids=["reference", "jit"])
@pytest.mark.parametrize("path", params())
def test_spec_example_prints_what_its_comment_says(path, reference, capsys):
    module = mojolite.load(path, reference=reference)
    module.main()
    assert capsys.readouterr().out == expected_output(path.read_text())
