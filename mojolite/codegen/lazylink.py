"""Lazily linked call edges, at run time.

In: a `JitModule` whose code calls some functions through lazily linked slots
(`Lowered.lazy`: slot symbol → callee symbol; which calls, `callgraph.split_unit`;
the slots and stubs, `module.ModuleLowering.lazy_callee`), and the `api.Module`
it was compiled from. Out: a `Linker` that, on a slot's first call, compiles the
callee's own unit (or loads it from the disk cache), writes the callee's address
into the slot and returns it; later calls go straight to the callee.

    caller ──load slot──> stub ──mojolite_lazy_link(slot)──> link(slot)
                                                             └ Linker.resolve(callee):
                                                               Module.lazy_unit → JitModule
    caller ──load slot──> callee                             (from the second call on)

The stub runs on whichever thread makes the call, pool threads included: the
runtime's callback takes the GIL (every call into JIT code releases it) and the
build takes `api`'s build lock, so two threads wanting the same callee wait for
one compile. A build that fails warns and returns 0: the stub then faults with
an internal error, and nothing crashes.

Fault sites: each unit numbers its sites from `site_base` (`lower.SITE_BITS`), so
`Linker.owner(site)` finds the unit whose table names a fault, whichever unit the
error travelled through. Nothing here imports LLVM: code loaded from the disk
cache links the same way.
"""
from __future__ import annotations

import ctypes
import sys
import warnings
import weakref

from ..errors import debug_enabled

SITE_BITS = 20          # = lower.SITE_BITS (lower imports llvmlite; this module must not)


def shown(symbol: str) -> str:
    """A function's symbol as the user wrote it (`rows[DType.float64]`)."""
    return symbol[3:] if symbol.startswith("ml.") else symbol

# slot address → (the Linker, weakly; the callee's symbol). Filled by `Linker.attach`,
# emptied of a Linker's slots when it is collected (`_forget`).
_slots: dict[int, tuple[weakref.ref, str]] = {}


def _forget(addresses: list[int], linker: weakref.ref) -> None:
    for address in addresses:
        if _slots.get(address, (None,))[0] is linker:      # not since reused by another
            del _slots[address]


def link(slot: int) -> int:
    """The runtime's `mojolite_lazy_link`: the address of the callee of `slot`,
    compiled now if need be and written into the slot; 0 when that failed."""
    owner = _slots.get(slot)
    linker = owner[0]() if owner is not None else None
    if linker is None:
        return 0
    try:
        address = linker.resolve(owner[1])
    except BaseException as e:       # nothing may unwind into JIT code
        if debug_enabled():
            import traceback
            traceback.print_exc(file=sys.stderr)
        warnings.warn(f"mojolite: compiling {shown(owner[1])} on its first call failed: {e}",
                      RuntimeWarning, stacklevel=1)
        return 0
    ctypes.c_void_p.from_address(slot).value = address
    return address


class Linker:
    """The units of one program that lazily linked calls have compiled, by
    callee, and every unit of it by site base (for `owner`)."""

    def __init__(self, module):
        self.module = module            # the api.Module the entry unit came from
        self.slot = module.home_slot()  # its disk-cache slot (None: not cached)
        self.units: dict[int, object] = {}     # site_base >> SITE_BITS → JitModule
        self.callees: dict[str, object] = {}   # callee symbol → JitModule

    def attach(self, jit) -> None:
        """Make `jit` part of this program: its slots link through here and its
        faults are decoded here."""
        jit.linker = self
        self.units[jit.lowered.site_base >> SITE_BITS] = jit
        me = weakref.ref(self)
        addresses = []
        for name, callee in (jit.lowered.lazy or {}).items():
            address = jit.global_address(name)
            if not address:
                raise RuntimeError(f"no address for the lazily linked slot {name}")
            _slots[address] = (me, callee)
            addresses.append(address)
        weakref.finalize(self, _forget, addresses, me)

    def resolve(self, callee: str) -> int:
        """The address of `callee`, its unit compiled (or loaded) on first use."""
        from ..kernel import BUILDING
        with BUILDING:
            jit = self.callees.get(callee)
            if jit is None:
                jit = self.callees[callee] = self.module.lazy_unit(callee, self)
        address = jit.function_address(callee)
        if not address:
            raise RuntimeError(f"no machine code for {callee}")
        return address

    def owner(self, site: int):
        """The unit whose fault site `site` is (None if none here)."""
        return self.units.get(site >> SITE_BITS)
