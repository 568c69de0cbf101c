"""The spec's own example programs (../shared/spec/examples) print what their
comments say, in the reference mode and under the JIT. The expected text is
read from the `# ...` comment on each program's print line."""
import re

import pytest

import mojolite
from conftest import SHARED

EXAMPLES = sorted((SHARED / "spec" / "examples").glob("*.ml"))


def expected_output(text: str) -> str:
    lines = []
    for line in text.splitlines():
        m = re.match(r"\s*print\(.*\)\s*#\s*(.*?)(?:\s+for n = .*)?$", line)
        if m:
            lines.append(m.group(1))
    return "".join(line + "\n" for line in lines)


def test_the_spec_examples_are_there():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("reference", [True, False], ids=["reference", "jit"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_spec_example_prints_what_its_comment_says(path, reference, capsys):
    module = mojolite.load(path, reference=reference)
    module.main()
    assert capsys.readouterr().out == expected_output(path.read_text())
