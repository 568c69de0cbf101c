"""Object code to running code without LLVM: a small loader for MCJIT's objects.

In: the bytes of an ELF64 relocatable object for x86-64 (what MCJIT writes
through its object cache, and what `cache.py` stores) and a table of the
symbols it may call outside itself (name -> address). Out: a `LoadedObject`
whose `get_function_address(name)` is the address of one of its global
symbols (the `__entry_*` wrappers ...), the memory staying mapped while the
object lives. Nothing here imports llvmlite: a warm cache hit then costs
neither LLVM's 178 MB library nor its Python modules.

    bytes ──parse──> sections, symbols, relocations
          ──layout──> one mapping:  [code | stubs] [rodata | GOT] [data | bss]
                                    (each part page-aligned, each section at its alignment)
          ──relocate──> the image, built in a bytearray, every address final
          ──map──> mmap RW, copy, mprotect: code R+X, rodata R, data RW (W^X)

What it handles is what MCJIT's objects contain (checked on the corpus in
tests/test_objload.py): SHF_ALLOC sections of type PROGBITS and NOBITS in the
small and the large code model (.text/.ltext, .rodata*/.lrodata*, .data/.ldata,
.bss/.lbss), relocations R_X86_64_64 (the large model's only kind), PC32, PLT32
(a far target goes through a stub: `jmp *0(%rip)` and the address) and
GOTPCREL/GOTPCRELX/REX_GOTPCRELX (an 8-byte GOT slot). Non-allocated
sections (debug info, symtab, notes) and their relocations are skipped; so is
.eh_frame: mojolite's code never unwinds (faults are return codes), so no
unwind tables are registered. Anything else (TLS, init arrays, COMMON symbols,
other relocation types, a displacement that does not fit) raises `Unsupported`
before any memory is made executable, so the caller can fall back to MCJIT:
the loader never produces code it is not sure of.

External symbols resolve from the given table first, then from the process
(dlsym over everything loaded, then the C math library); a name found nowhere
raises `Unresolved` (a weak one becomes 0, as the ELF rules say).

`MOJOLITE_OBJLOAD=0` in the environment turns the loader off (`enabled()`):
every cached object then goes through MCJIT, as before this module existed.
"""
from __future__ import annotations

import ctypes
import os
import struct
import sys
import weakref

# ELF constants (System V gABI, x86-64 psABI)
ET_REL, EM_X86_64 = 1, 62
SHT_PROGBITS, SHT_SYMTAB, SHT_RELA, SHT_NOBITS, SHT_REL = 1, 2, 4, 8, 9
SHT_X86_64_UNWIND = 0x70000001
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR, SHF_TLS = 0x1, 0x2, 0x4, 0x400
SHN_UNDEF, SHN_ABS, SHN_COMMON, SHN_XINDEX = 0, 0xFFF1, 0xFFF2, 0xFFFF
STB_LOCAL, STB_GLOBAL, STB_WEAK = 0, 1, 2
STT_SECTION, STT_TLS, STT_GNU_IFUNC = 3, 6, 10

R_X86_64_NONE, R_X86_64_64, R_X86_64_PC32, R_X86_64_PLT32 = 0, 1, 2, 4
R_X86_64_GOTPCREL, R_X86_64_GOTPCRELX, R_X86_64_REX_GOTPCRELX = 9, 41, 42
_GOT_KINDS = (R_X86_64_GOTPCREL, R_X86_64_GOTPCRELX, R_X86_64_REX_GOTPCRELX)

_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
_SHDR = struct.Struct("<IIQQQQIIQQ")
_SYM = struct.Struct("<IBBHQQ")
_RELA = struct.Struct("<QQq")
_STUB = bytes.fromhex("ff2500000000")         # jmp *0(%rip), then the 8-byte target
STUB_SIZE = 16
# Linux's mmap/mprotect flags (the `mmap` module has them too, for 0.2 ms more
# of a warm load); ELF objects come from, and are only loaded on, Linux.
PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4
MAP_PRIVATE, MAP_ANONYMOUS = 0x02, 0x20
PAGE = os.sysconf("SC_PAGE_SIZE") if sys.platform == "linux" else 4096
_MASK64 = (1 << 64) - 1


def enabled() -> bool:
    """Whether cached code may be loaded here (else callers use MCJIT)."""
    return os.environ.get("MOJOLITE_OBJLOAD", "1").strip() != "0"


class LoadError(Exception):
    """The object cannot be loaded here; the caller falls back to MCJIT."""


class Unsupported(LoadError):
    """The object holds something this loader does not handle."""


class Unresolved(LoadError):
    """The object names a symbol that neither the table nor the process defines."""


class NoExecutableMemory(LoadError):
    """The system refused to map memory executable (SELinux, a hardened kernel)."""


class Section:
    __slots__ = ("index", "name", "type", "flags", "offset", "size", "align", "link", "info",
                 "place")

    def __init__(self, index, name, type, flags, offset, size, align, link, info):
        self.index, self.name, self.type, self.flags = index, name, type, flags
        self.offset, self.size, self.align = offset, size, max(1, align)
        self.link, self.info = link, info
        self.place = None       # offset in the image, for a loaded section


class Symbol:
    __slots__ = ("name", "bind", "type", "shndx", "value")

    def __init__(self, name, bind, type, shndx, value):
        self.name, self.bind, self.type, self.shndx, self.value = name, bind, type, shndx, value


# ------------------------------------------------------------------ parsing
def _cstr(table: bytes, offset: int) -> str:
    end = table.find(b"\0", offset)
    return table[offset:end if end >= 0 else len(table)].decode("utf-8", "replace")


def parse(data: bytes) -> tuple[list[Section], list[Symbol]]:
    """The sections and the symbols (by index) of a relocatable ELF64 x86-64 object."""
    if len(data) < _EHDR.size or data[:4] != b"\x7fELF":
        raise Unsupported("not an ELF file")
    (ident, e_type, machine, _, _, _, shoff, _, _, _, _, shentsize, shnum,
     shstrndx) = _EHDR.unpack_from(data, 0)
    if ident[4] != 2 or ident[5] != 1:
        raise Unsupported("not a little-endian 64-bit ELF file")
    if e_type != ET_REL or machine != EM_X86_64:
        raise Unsupported(f"not an x86-64 relocatable object (type {e_type}, machine {machine})")
    if shentsize != _SHDR.size or shnum == 0 or shstrndx == SHN_XINDEX or \
            shoff + shnum * _SHDR.size > len(data):
        raise Unsupported("unexpected section header table")
    rows = [_SHDR.unpack_from(data, shoff + i * _SHDR.size) for i in range(shnum)]
    for name, stype, _, _, offset, size, *_ in rows:
        if stype != SHT_NOBITS and offset + size > len(data):
            raise Unsupported("a section lies outside the file")
    names_row = rows[shstrndx]
    names = data[names_row[4]:names_row[4] + names_row[5]]
    sections = [Section(i, _cstr(names, r[0]), r[1], r[2], r[4], r[5], r[8], r[6], r[7])
                for i, r in enumerate(rows)]
    tables = [s for s in sections if s.type == SHT_SYMTAB]
    if len(tables) != 1:
        raise Unsupported(f"{len(tables)} symbol tables")
    symtab = tables[0]
    strtab = sections[symtab.link]
    strings = data[strtab.offset:strtab.offset + strtab.size]
    symbols = []
    for i in range(symtab.size // _SYM.size):
        st_name, info, _, shndx, value, _ = _SYM.unpack_from(data, symtab.offset + i * _SYM.size)
        symbols.append(Symbol(_cstr(strings, st_name), info >> 4, info & 0xF, shndx, value))
    return sections, symbols


# ------------------------------------------------------------------ loading
def _is_loaded(s: Section) -> bool:
    """Whether `s` goes into memory; raises for allocated sections it cannot place."""
    if not s.flags & SHF_ALLOC:
        return False
    if s.type == SHT_X86_64_UNWIND or s.name == ".eh_frame":
        return False                # no unwinding through mojolite's code
    if s.flags & SHF_TLS:
        raise Unsupported(f"thread-local section {s.name}")
    if s.type not in (SHT_PROGBITS, SHT_NOBITS):
        raise Unsupported(f"section {s.name} of type {s.type:#x}")
    if s.flags & SHF_WRITE and s.flags & SHF_EXECINSTR:
        raise Unsupported(f"section {s.name} is both writable and executable")
    if s.align > PAGE:
        raise Unsupported(f"section {s.name} wants {s.align}-byte alignment")
    return True


def _align(n: int, a: int) -> int:
    return (n + a - 1) // a * a


class LoadedObject:
    """An object's code and data in this process's memory.

    `get_function_address(name)` (0 when `name` is not a global symbol of the
    object) mirrors llvmlite's `ExecutionEngine` method, so a `JitModule` can
    hold either. The mapping is released when this object is collected, never
    at interpreter exit (threads may still run the code then)."""

    def __init__(self, addresses: dict[str, int], base: int, size: int):
        self.addresses, self.base, self.size = addresses, base, size
        finalizer = weakref.finalize(self, _unmap, base, size)
        finalizer.atexit = False

    def get_function_address(self, name: str) -> int:
        return self.addresses.get(name, 0)

    get_global_value_address = get_function_address


def load(data: bytes, symbols: dict[str, int]) -> LoadedObject:
    """Map the object `data`, its undefined symbols resolved from `symbols`
    and the process. Raises a `LoadError` (nothing mapped stays) when it cannot."""
    if sys.platform != "linux":
        raise Unsupported(f"loading object code on {sys.platform}")
    try:
        sections, syms = parse(data)
        loaded = [s for s in sections if _is_loaded(s)]
        relocations = _relocations(data, sections, syms)
    except (struct.error, IndexError, ValueError) as e:    # a damaged file
        raise Unsupported(f"malformed object ({type(e).__name__}: {e})") from None

    # Stubs and GOT slots, one per target symbol that needs one.
    stubbed = sorted({r[2] for r in relocations if r[1] == R_X86_64_PLT32 and
                      syms[r[2]].shndx == SHN_UNDEF})
    got = sorted({r[2] for r in relocations if r[1] in _GOT_KINDS})

    # Layout: code, stubs | rodata, GOT | data, bss; each group starts on a page.
    groups = ([s for s in loaded if s.flags & SHF_EXECINSTR],
              [s for s in loaded if not s.flags & (SHF_EXECINSTR | SHF_WRITE)],
              [s for s in loaded if s.flags & SHF_WRITE and not s.flags & SHF_EXECINSTR])
    size, bounds = 0, []
    stub_at = got_at = 0
    for g, group in enumerate(groups):
        start = size = _align(size, PAGE)
        for s in group:
            s.place = size = _align(size, s.align)
            size += s.size
        if g == 0 and stubbed:
            stub_at = size = _align(size, 16)
            size += STUB_SIZE * len(stubbed)
        if g == 1 and got:
            got_at = size = _align(size, 8)
            size += 8 * len(got)
        bounds.append((start, size))
    size = max(_align(size, PAGE), PAGE)

    base = _map(size)
    try:
        image = bytearray(size)
        for s in loaded:
            if s.type == SHT_PROGBITS:
                image[s.place:s.place + s.size] = data[s.offset:s.offset + s.size]
        by_index = {s.index: s for s in loaded}
        resolved = {}

        def address(k: int) -> int:
            if k not in resolved:
                resolved[k] = _symbol_address(syms[k], by_index, base, symbols)
            return resolved[k]

        stubs = {}
        for i, k in enumerate(stubbed):
            at = stub_at + STUB_SIZE * i
            image[at:at + 6] = _STUB
            struct.pack_into("<Q", image, at + 6, address(k))
            stubs[k] = base + at
        slots = {}
        for i, k in enumerate(got):
            at = got_at + 8 * i
            struct.pack_into("<Q", image, at, address(k))
            slots[k] = base + at
        for target, kind, k, offset, addend in relocations:
            place = by_index[target].place + offset
            _apply(image, place, base + place, kind, address(k), addend, stubs.get(k),
                   slots.get(k), syms[k].name)
        ctypes.memmove(base, bytes(image), size)
        # W^X: only now, with every byte written, do pages become executable.
        (code_start, code_end), (ro_start, ro_end) = bounds[0], bounds[1]
        if code_end > code_start:
            _protect(base + code_start, _align(code_end, PAGE) - code_start,
                     PROT_READ | PROT_EXEC)
        if ro_end > ro_start:
            _protect(base + ro_start, _align(ro_end, PAGE) - ro_start, PROT_READ)
        exported = {}
        for sym in syms:
            if sym.bind in (STB_GLOBAL, STB_WEAK) and sym.name and sym.type != STT_SECTION \
                    and (sym.shndx in by_index or sym.shndx == SHN_ABS):
                exported[sym.name] = _symbol_address(sym, by_index, base, symbols)
    except BaseException:
        _unmap(base, size)
        raise
    return LoadedObject(exported, base, size)


def _relocations(data: bytes, sections: list[Section], syms: list[Symbol]) -> list[tuple]:
    """(target section index, type, symbol index, offset, addend) for every
    relocation into a loaded section, checked against what `_apply` handles."""
    out = []
    for s in sections:
        if s.type not in (SHT_RELA, SHT_REL) or not 0 < s.info < len(sections):
            continue
        target = sections[s.info]
        if not _is_loaded(target):
            continue
        if s.type == SHT_REL:
            raise Unsupported(f"REL (no addend) relocations for {target.name}")
        for offset, info, addend in _RELA.iter_unpack(data[s.offset:s.offset + s.size]):
            kind, k = info & 0xFFFFFFFF, info >> 32
            if kind == R_X86_64_NONE:
                continue
            if kind not in _SIZES:
                raise Unsupported(f"relocation type {kind} in {target.name}")
            if k >= len(syms) or offset + _SIZES[kind] > target.size:
                raise Unsupported(f"a malformed relocation in {target.name}")
            if target.type == SHT_NOBITS:
                raise Unsupported(f"a relocation in {target.name}, which has no bits")
            out.append((target.index, kind, k, offset, addend))
    return out


_SIZES = {R_X86_64_64: 8, R_X86_64_PC32: 4, R_X86_64_PLT32: 4, R_X86_64_GOTPCREL: 4,
          R_X86_64_GOTPCRELX: 4, R_X86_64_REX_GOTPCRELX: 4}     # the bytes each one writes


def _symbol_address(sym: Symbol, by_index: dict, base: int, table: dict[str, int]) -> int:
    if sym.shndx == SHN_UNDEF:
        if not sym.name:
            return 0
        found = lookup(sym.name, table)
        if not found:
            if sym.bind == STB_WEAK:
                return 0
            raise Unresolved(f"symbol {sym.name} is not defined in this process")
        return found
    if sym.shndx == SHN_ABS:
        return sym.value
    if sym.shndx == SHN_COMMON:
        raise Unsupported(f"common symbol {sym.name}")
    if sym.type in (STT_TLS, STT_GNU_IFUNC):
        raise Unsupported(f"symbol {sym.name} of type {sym.type}")
    section = by_index.get(sym.shndx)
    if section is None:
        raise Unsupported(f"symbol {sym.name or '(section)'} is in a section that is not loaded")
    return base + section.place + sym.value


def _apply(image: bytearray, at: int, p: int, kind: int, s: int, a: int, stub, slot,
           name: str) -> None:
    """Write relocation `kind` at image offset `at` (address `p`) for symbol
    address `s` and addend `a`, by the psABI's formulas: S + A (64), S + A - P
    (PC32; PLT32 too, through `stub` when the target is farther than 2 GiB),
    GOT + A - P (the GOTPCREL kinds, `slot` holding S)."""
    if kind == R_X86_64_64:
        struct.pack_into("<Q", image, at, (s + a) & _MASK64)
        return
    if kind == R_X86_64_PLT32:
        value = s + a - p
        if not -2**31 <= value < 2**31 and stub is not None:
            value = stub + a - p
    elif kind == R_X86_64_PC32:
        value = s + a - p
    else:                       # _GOT_KINDS
        value = slot + a - p
    if not -2**31 <= value < 2**31:
        raise Unsupported(f"a 32-bit displacement to {name} does not fit (relocation {kind})")
    struct.pack_into("<i", image, at, value)


# ------------------------------------------------------------------ the process
_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                       ctypes.c_int, ctypes.c_long]
_libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_MAP_FAILED = ctypes.c_void_p(-1).value
_libraries: list = []


def _map(size: int) -> int:
    base = _libc.mmap(None, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    if base is None or base == _MAP_FAILED:
        raise NoExecutableMemory(f"mmap of {size} bytes failed: {_strerror()}")
    return base


def _protect(address: int, size: int, prot: int) -> None:
    if _libc.mprotect(address, size, prot) != 0:
        raise NoExecutableMemory(f"mprotect refused ({_strerror()}): executable memory "
                                 "is not allowed in this process")


def _unmap(base: int, size: int) -> None:
    _libc.munmap(base, size)


def _strerror() -> str:
    return os.strerror(ctypes.get_errno())


def lookup(name: str, table: dict[str, int]) -> int:
    """The address an undefined symbol `name` resolves to (0: nowhere)."""
    return table.get(name) or _process_symbol(name)


def _process_symbol(name: str) -> int:
    """The address of `name` in the process (its executable and every library
    loaded with RTLD_GLOBAL), else in the C math library; 0 if absent."""
    if not _libraries:
        from .target import libm_name
        _libraries.extend((_libc, ctypes.CDLL(libm_name())))
    for lib in _libraries:
        try:
            return ctypes.cast(lib[name], ctypes.c_void_p).value or 0
        except AttributeError:
            continue
    return 0
