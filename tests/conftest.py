import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

# The disk cache (mojolite/cache.py) is off in tests unless the environment asks for it
# (MOJOLITE_CACHE=1), and it never touches the user's cache directory: the suite, and
# every process it starts, uses a directory of its own (tests/test_cache.py makes more).
os.environ.setdefault("MOJOLITE_CACHE", "0")
os.environ["MOJOLITE_CACHE_DIR"] = tempfile.mkdtemp(prefix="mojolite-test-cache-")
atexit.register(shutil.rmtree, os.environ["MOJOLITE_CACHE_DIR"], True)
# Native callers from the first call (users get them on the 100th, `pycall.NATIVE_AFTER`),
# so that every test calling a kernel checks the generated boundary code too; the tests
# of that tiering set the variable themselves.
os.environ.setdefault("MOJOLITE_NATIVE_AFTER", "1")

# mojolite before any test module imports llvmlite: it asks llvmlite to print pointers
# as `ptr`, which only works before llvmlite loads (the IR tests read the text).
import mojolite  # noqa: E402,F401
