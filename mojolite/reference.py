"""The reference mode: a direct interpreter of the typed tree, the oracle.

In: a checked `typed.Program`, the name of a function and its arguments as
Python values. Out: the function's result as a Python value, with `print`
output written to a text stream. Values are Python `int` (in range of the
dtype), `float` (already rounded to float32 for Float32), `bool` and `str`.

This module DEFINES what a program means; the LLVM back end is tested against
it. It adds no semantics of its own: every scalar operation is a call into
`semantics`, every printed value goes through `fmt.format_value`, and each
node does exactly what its docstring in `typed` says. Invariants:
- a `semantics.Fault` raised by node N becomes `RuntimeFault(kind, N.span)`;
- operands are evaluated at most once, left to right (chained comparisons,
  assignments, call arguments, range bounds);
- a recursion that exhausts Python's stack becomes a `RuntimeFault` at the
  call, never a crash.
"""
from __future__ import annotations

import numbers
import sys
from typing import TextIO

from . import callgraph, memory, stdlib, strings, typed
from .errors import InternalError, OutputRaised, RaisedError, RuntimeFault, recursion_limit
from .fmt import format_value
from .memory import ErrorValue
from .reference_simd import SimdInterpreter
from .semantics import COMPARE, UNARY, ZERO_STEP, Fault, binary, cast, math_call, \
    pow_by_multiplies, round_to
from .syntax import BinOp, LogicOp
from .typesys import (BOOL, SIMD, STRING, FnType, ListType, Struct, Tensor, has_lifecycle, is_tuple,
                      numpy_dtype, owns_memory)

_COPIED = (ListType, Struct)     # value types: a variable taking one gets a copy
_BUILTINS = {**memory.BUILTINS, **strings.BUILTINS, **stdlib.BUILTINS}  # typed.Builtin → operation

# Python frames allowed while the program runs. A user-level call costs several
# Python frames (call, block, statement, expressions: 7 for `return n * f(n - 1)`,
# more inside an `if` or a loop); 10 is a conservative figure for the message.
# Python 3.11 runs Python-to-Python calls without growing the C stack, so the
# raised limit cannot crash the process (checked by a test with 10**7 calls).
_RECURSION_LIMIT = 20_000
_FRAMES_PER_CALL = 10
_MAX_CALL_DEPTH = _RECURSION_LIMIT // _FRAMES_PER_CALL
TOO_DEEP = (f"recursion too deep (the reference mode allows about "
            f"{_MAX_CALL_DEPTH} nested calls)")


def run(program: typed.Program, fn_name: str, args: list, *, out: TextIO | None = None):
    """Run `fn_name(*args)` and return its result (None for no result).

    Missing trailing arguments take the function's `defaults`. Raises
    `RuntimeFault` for a checked failure of the program; a wrong `fn_name` or
    argument is the caller's bug and raises `InternalError`.
    """
    fn = program.get(fn_name)
    if fn is None:
        raise InternalError(f"reference: no function named {fn_name!r}")
    given = list(args)
    args = _bind_args(fn, list(args))
    interp = _Interpreter(sys.stdout if out is None else out, program)
    frame = dict(zip(fn.params, args))
    with recursion_limit(_RECURSION_LIMIT):
        try:
            result = interp.call(fn, frame)
        except RecursionError:
            # Deep nesting outside any call (a huge expression): blame the function.
            raise RuntimeFault(TOO_DEEP, fn.span) from None
        finally:        # a `mut` List's elements go back into the Python list, as the JIT's
            for p, value in zip(fn.params, given):
                if getattr(value, "target", None) is not None:
                    value.target[:] = _to_python(frame[p], p.type)
    return _to_python(result, fn.ret)


def _to_python(value, t):
    """A result as the JIT gives it to Python: a SIMD vector as a NumPy array of
    its lanes, a Tensor as an array, a tuple as a Python tuple of its elements,
    a List as a Python list of its elements."""
    if isinstance(value, tuple):        # a SIMD vector: its lanes
        import numpy as np
        return np.array(value, dtype=numpy_dtype(t.dtype))
    if isinstance(value, memory.RefStruct) and is_tuple(t):
        return tuple(_to_python(v, e) for v, (_, e) in zip(value.fields, t.fields))
    if isinstance(value, memory.RefList):
        return [_to_python(v, t.element) for v in value.items]
    return value.to_numpy() if isinstance(value, memory.RefTensor) else value


def eval_const(expr: typed.Expr):
    """The value of an expression without variables or calls (constant folding).

    Raises `semantics.Fault` where the expression would fail at run time.
    """
    return _ConstEvaluator().eval(expr, {})


def _bind_args(fn: typed.Function, args: list) -> list:
    """Fill defaults and bring each argument to the interpreter's value for its type.

    Floats are rounded to the parameter's dtype as a C call would; anything
    else must already be a value of the type. The caller (the API) reports bad
    arguments to the user, so a mismatch here is an internal error.
    """
    missing = len(fn.params) - len(args)
    if 0 < missing <= len(fn.defaults):
        args += fn.defaults[len(fn.defaults) - missing:]
    if len(args) != len(fn.params):
        raise InternalError(f"reference: {fn.name} takes {len(fn.params)} arguments, "
                            f"got {len(args)}")
    return [_argument(value, param.type, param, fn) for param, value in zip(fn.params, args)]


def _argument(value, t, param: typed.Var, fn: typed.Function):
    if t == STRING and isinstance(value, str):
        return value
    if isinstance(t, Tensor) and memory.is_array(value):
        return memory.RefTensor.from_numpy(value, t.dtype)
    if isinstance(t, SIMD) and t.width == 1 and not isinstance(value, bool):
        dt = t.dtype
        if dt.is_float and isinstance(value, numbers.Real):
            return round_to(float(value), dt)
        if dt.is_int and isinstance(value, numbers.Integral):
            lo, hi = dt.int_range
            if lo <= value <= hi:
                return int(value)
    if t == BOOL and isinstance(value, bool):
        return value
    if isinstance(t, ListType) and isinstance(value, list):    # `api.ListArgument`
        return memory.RefList([_argument(v, t.element, param, fn) for v in value])
    if isinstance(t, SIMD) and t.width > 1 and type(value).__name__ == "ndarray" \
            and value.shape == (t.width,):      # a vector is a tuple of its lanes
        return tuple(_argument(v, SIMD(t.dtype, 1), param, fn) for v in value.tolist())
    raise InternalError(f"reference: argument {value!r} is not a {t} "
                        f"(parameter '{param.name}' of {fn.name})")


# ------------------------------------------------------------------ control flow
# A statement returns None to fall through, or one of these to leave its block.
class _Return:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


_BREAK = object()
_CONTINUE = object()


class _Interpreter(SimdInterpreter):
    """Evaluates expressions and executes statements in a frame.

    A frame is a dict from `typed.Var` (by identity) to its current value;
    each call gets a new one. `_rules` maps every node class of `typed` to its
    bound `visit_<NodeClass>` method, built once, so dispatch is one dict
    lookup per node.
    """

    def __init__(self, out: TextIO | None = None, program: typed.Program | None = None):
        self.out = out
        self.program = program
        self._recursive: set[str] | None = None
        self._rules = {cls: getattr(self, "visit_" + cls.__name__, self._missing_rule)
                       for cls in _NODE_CLASSES}
        # Lifecycle (structs with `__del__`/`__copyinit__`), at the points where the
        # lowering retains and releases: the running call's new values that nothing
        # kept (dropped when their statement ends), each function's variables to
        # drop on its way out, and which types need any of this.
        self.temps: list[tuple[object, object]] = []
        self._drops: dict[str, list] = {}
        self._life: dict = {}

    def life(self, t) -> bool:
        """Whether copying or dropping a `t` runs a user's method (`has_lifecycle`)."""
        known = self._life.get(t)
        if known is None:
            known = self._life[t] = has_lifecycle(t)
        return known

    def _missing_rule(self, node: typed.Node, env: dict):
        raise InternalError(f"reference: no rule for {type(node).__name__}")

    def too_deep(self, fn: typed.Function) -> RuntimeFault:
        """The fault for a runaway recursion that overflowed while calling `fn`,
        blamed (as checked JIT code blames it) on a function on a cycle of the
        call graph: the RecursionError goes on up to the innermost one."""
        if self._recursive is None:
            self._recursive = (callgraph.recursive_symbols(self.program)
                               if self.program is not None else set())
        if self._recursive and fn.symbol not in self._recursive:
            raise RecursionError
        return RuntimeFault(TOO_DEEP, fn.span)

    def _fault(self, fault: Fault, node: typed.Node):
        raise RuntimeFault(fault.kind, node.span) from None

    def eval(self, node: typed.Expr, env: dict):
        return self._rules[node.__class__](node, env)

    def exec_block(self, stmts: tuple[typed.Stmt, ...], env: dict):
        rules = self._rules
        try:
            for stmt in stmts:
                signal = rules[stmt.__class__](stmt, env)
                if self.temps:
                    self.flush_temps()
                if signal is not None:
                    return signal
        except MemoryError:
            # Python ran out of memory (a List grown without end): the program's
            # fault, at the innermost statement running, not a bug of the compiler
            raise RuntimeFault(memory.OUT_OF_MEMORY, stmt.span) from None
        except RuntimeFault as failure:     # an error too (RaisedError)
            # the rest of the statement's new values, as a failed call in the JIT
            # (`check_call`); dropping one may fault (`unwinding`)
            outcome = self.unwinding(self.temps_dropped(), failure)
            if outcome is failure:
                raise
            raise outcome from None
        return None

    def call(self, fn: typed.Function, frame: dict):
        """Run `fn`'s body in `frame` (its parameters already bound); its result.
        Its variables whose types run a `__del__`/`__copyinit__` are dropped on
        every way out, a `raise` or a fault too (as the JIT's `return`/`fail`)."""
        drops = self._drops.get(fn.symbol)
        if drops is None:
            drops = self._drops[fn.symbol] = self.dropped_variables(fn)
        saved, self.temps = self.temps, []
        try:
            signal = self.exec_block(fn.body, frame)
        except RuntimeFault as failure:
            self.temps = saved
            outcome = self.unwinding(self.variables_dropped(fn, frame, drops), failure)
            if outcome is failure:
                raise
            raise outcome from None
        finally:
            self.temps = saved
        if drops:
            outcome = self.unwinding(self.variables_dropped(fn, frame, drops), None)
            if outcome is not None:
                raise outcome
        if signal is None:
            return None
        if signal.__class__ is _Return:
            return signal.value
        raise InternalError(f"reference: break or continue escaped {fn.name}")

    def dropped_variables(self, fn: typed.Function) -> list:
        """What the JIT releases on `fn`'s way out, in its order (`lower`), where that
        runs a user's method: `owned` parameters, then the function's variables."""
        params = [p for p in fn.params if p.mutable and not p.by_ref and owns_memory(p.type)]
        return [v for v in params + typed.managed_locals(fn) if self.life(v.type)]

    # -------------------------------------------------------------- lifecycle
    @staticmethod
    def unwinding(drops, failure):
        """Run each of `drops` (the drops on a way out) though one faults; what
        leaves: `failure` (the error or fault under way, or None), unless a drop
        faults where no fault was under way (a fault replaces an error: a
        `__del__` cannot raise). The first fault wins, as the JIT's `fail`
        keeps it (`lower.unwind_release`)."""
        for drop in drops:
            try:
                drop()
            except RaisedError:
                raise InternalError("reference: a drop raised an error") from None
            except RuntimeFault as fault:
                if failure is None or isinstance(failure, RaisedError):
                    failure = fault
        return failure

    def variables_dropped(self, fn: typed.Function, frame: dict, drops: list):
        """The drops of `fn`'s variables that hold a value (assigned, not moved
        out), in order (the JIT's `finish_exit`)."""
        for var in drops:
            if var in frame:
                value = frame.pop(var)      # dropped once, whatever the others do
                if fn.lifecycle == "del" and var is fn.params[0]:
                    yield lambda v=value, t=var.type: self.drop_fields(v, t)
                else:
                    yield lambda v=value, t=var.type: self.drop(v, t)

    def temps_dropped(self):
        """The drops of the statement's new values, newest first (`flush_temps`)."""
        while self.temps:
            value, t = self.temps.pop()
            yield lambda v=value, t=t: self.drop(v, t)

    def copy_struct(self, value: memory.RefObject) -> memory.RefStruct:
        """A copy of a value of a struct with its own lifecycle: `__copyinit__`'s
        `out self`, or (without one) its fields copied."""
        t = value.type
        fn = t.lifecycle.copy
        if fn is None:
            return memory.RefObject([memory.own(f) for f in value.fields], self, t)
        this = fn.params[0]
        frame = {this: memory.RefObject([memory.zero_value(ft) for _, ft in t.fields], self, t),
                 fn.params[1]: value}
        self.call(fn, frame)
        return frame[this]

    def drop(self, value, t):
        """Release `value` (the JIT's `release`): a struct's `__del__` runs, then its
        fields are dropped; a List drops its elements, first to last."""
        if not self.life(t):
            return
        if t.__class__ is ListType:
            for item in value.items:
                self.drop(item, t.element)
        elif t.lifecycle is not None and t.lifecycle.deinit is not None:
            fn = t.lifecycle.deinit
            self.call(fn, {fn.params[0]: value})        # which drops the fields at its end
        else:
            self.drop_fields(value, t)

    def drop_fields(self, value, t):
        for f, (_, ft) in zip(value.fields, t.fields):
            self.drop(f, ft)

    def temp(self, value, t):
        """A new value of a type with a lifecycle: dropped when its statement ends
        unless something keeps it (`owned`, `kept`)."""
        if self.life(t):
            self.temps.append((value, t))
        return value

    def flush_temps(self, keep: int = 0):
        while len(self.temps) > keep:
            value, t = self.temps.pop()
            self.drop(value, t)

    def kept(self, node: typed.Expr, value):
        """A value that something keeps, once every argument is made: a new one
        taken out of the temporaries, another copied."""
        if typed.produces_owned(node):
            for k in range(len(self.temps) - 1, -1, -1):
                if self.temps[k][0] is value:
                    del self.temps[k]
                    break
            return value
        return memory.own(value)

    def store_var(self, var: typed.Var, value, env: dict):
        """`var = value`, dropping what it held (the JIT's `store_owned`)."""
        if self.life(var.type) and var in env:
            old = env[var]
            env[var] = value
            self.drop(old, var.type)
        else:
            env[var] = value

    # -------------------------------------------------------------- expressions
    def visit_Const(self, node: typed.Const, env: dict):
        return node.value

    def visit_Load(self, node: typed.Load, env: dict):
        return env[node.var]

    def visit_Unary(self, node: typed.Unary, env: dict):
        a = self.eval(node.operand, env)
        if a.__class__ is tuple:
            return self.simd_unary(node, a)
        return UNARY[node.op](a, node.operand.type.dtype)

    def visit_Binary(self, node: typed.Binary, env: dict):
        a = self.eval(node.lhs, env)
        b = self.eval(node.rhs, env)
        if a.__class__ is tuple:
            return self.simd_binary(node, a, b)
        dt = node.lhs.type.dtype
        try:
            if node.op is BinOp.POW and dt.is_float:
                rhs = node.rhs
                # `x ** 2.0` and `x ** 3.0` are multiplies (as the JIT lowers them).
                if rhs.__class__ is typed.Const and rhs.value in (2.0, 3.0):
                    return pow_by_multiplies(a, int(rhs.value), dt)
            return binary(node.op, a, b, dt)
        except Fault as fault:
            self._fault(fault, node)

    def visit_Compare(self, node: typed.Compare, env: dict):
        operands = node.operands
        left = self.eval(operands[0], env)
        if left.__class__ is tuple:
            return self.simd_compare(node, left, self.eval(operands[1], env))
        for i, op in enumerate(node.ops):
            right = self.eval(operands[i + 1], env)
            if left.__class__ is memory.RefPointer:
                try:
                    holds = memory.pointer_compare(COMPARE[op], left, right)
                except Fault as fault:
                    self._fault(fault, node)
            else:
                holds = COMPARE[op](left, right)
            if not holds:
                return False
            left = right
        return True

    def visit_Logic(self, node: typed.Logic, env: dict):
        lhs = self.eval(node.lhs, env)
        if node.op is LogicOp.AND:
            return self.eval(node.rhs, env) if lhs else False
        return True if lhs else self.eval(node.rhs, env)

    def visit_IfExp(self, node: typed.IfExp, env: dict):
        arm = node.then if self.eval(node.cond, env) else node.orelse
        keep = len(self.temps)
        value = self.owned(arm, env)
        if len(self.temps) > keep:      # made on this arm: dropped at its end (as the JIT)
            self.flush_temps(keep)
        return self.temp(value, node.type)

    def visit_Format(self, node: typed.Format, env: dict):
        return format_value(self.eval(node.value, env), node.value.type)

    def visit_Seq(self, node: typed.Seq, env: dict):
        self.eval(node.first, env)
        return self.eval(node.value, env)

    def visit_Let(self, node: typed.Let, env: dict):
        env[node.var] = self.eval(node.value, env)
        return self.eval(node.body, env)

    def visit_Cast(self, node: typed.Cast, env: dict):
        value = self.eval(node.value, env)
        if value.__class__ is tuple:
            return self.simd_cast(node, value)
        if node.type.__class__ is FnType:       # to a `raises` function type
            return value
        return cast(value, node.value.type.dtype, node.type.dtype)

    def visit_Call(self, node: typed.Call, env: dict):
        fn = node.fn
        frame = {}
        refs = []
        handed = []
        for param, arg in zip(fn.params, node.args):
            if arg.__class__ is typed.Ref:
                refs.append((param, arg.place, self.place_indices(arg.place, env)))
            elif param.mutable and self.life(param.type):    # the callee's own, once
                frame[param] = self.eval(arg, env)          # every argument is made
                handed.append((param, arg))
            elif param.mutable:     # `owned`: the callee gets its own copy of a List
                frame[param] = self.owned(arg, env)
            else:
                frame[param] = self.eval(arg, env)
        for param, arg in handed:
            frame[param] = self.kept(arg, frame[param])
        # A `mut` argument is the caller's variable itself. Copy-in when the callee
        # starts (after every argument is evaluated: `f(x, g(x))` sees g's write)
        # and copy-out when it returns is the same as sharing the variable, because
        # the checker forbids passing one variable twice and nothing else can reach
        # it while the callee runs. (A fault ends the program, so the missing
        # copy-out on that path is never observed.) The place's indices are
        # evaluated in their argument's turn, and used for both copies.
        for param, place, indices in refs:
            frame[param] = self.read_place(place, env, indices)
        for var in fn.captures:         # a nested fn shares its enclosing variables
            frame[var] = env[var]
        try:
            result = self.call(fn, frame)
        except RecursionError:
            raise self.too_deep(fn) from None
        except RaisedError:
            # Writes made before the error stay visible (as in the JIT, where a
            # `mut` argument is the caller's variable itself).
            self.copy_out(fn, frame, refs, env)
            raise
        self.copy_out(fn, frame, refs, env)
        return self.temp(result, node.type) if result is not None else result

    def copy_out(self, fn: typed.Function, frame: dict, refs: list, env: dict):
        for param, place, indices in refs:
            self.assign_place(place, frame[param], env, indices)
        for var in fn.captures:
            env[var] = frame[var]

    def visit_FnRef(self, node: typed.FnRef, env: dict):
        return node.fn

    def visit_CallValue(self, node: typed.CallValue, env: dict):
        fn = self.eval(node.callee, env)
        args = [self.eval(arg, env) for arg in node.args]
        if fn is None:
            self._fault(Fault(memory.NULL_FUNCTION_FAULT), node)
        frame = {p: memory.own(a) if p.mutable else a for p, a in zip(fn.params, args)}
        try:
            return self.temp(self.call(fn, frame), node.type)
        except RecursionError:
            raise self.too_deep(fn) from None

    def place_indices(self, place: typed.Expr, env: dict) -> dict:
        """The values of the indices in `place`, evaluated now (the outermost
        container's first), by `id` of their Index, for `read_place`/`assign_place`."""
        chain = []
        while place.__class__ is not typed.Load:
            chain.append(place)
            place = place.base
        return {id(p): [self.eval(i, env) for i in p.indices]
                for p in reversed(chain) if p.__class__ is typed.Index}

    def read_place(self, place: typed.Expr, env: dict, indices: dict):
        """The value at a place whose indices `place_indices` gave."""
        cls = place.__class__
        if cls is typed.Load:
            return env[place.var]
        base = self.read_place(place.base, env, indices)
        if cls is typed.Field:
            return base.fields[place.index]
        try:
            return memory.index_get(base, indices[id(place)], place.type)
        except Fault as fault:
            self._fault(fault, place)

    def assign_place(self, place: typed.Expr, value, env: dict, indices: dict | None = None):
        """Write `value` to a place (a variable, a field of a place, an element),
        with the index values `place_indices` gave, or evaluated now."""
        cls = place.__class__
        if cls is typed.Load:
            env[place.var] = value
            return
        if indices is None:
            indices = self.place_indices(place, env)
        base = self.read_place(place.base, env, indices)
        if cls is typed.Field:
            base.fields[place.index] = value
        elif cls is typed.Index:
            memory.index_set(base, indices[id(place)], value)
        else:
            raise InternalError(f"reference: {cls.__name__} is not a place")

    def visit_Field(self, node: typed.Field, env: dict):
        return self.eval(node.base, env).fields[node.index]

    def visit_Construct(self, node: typed.Construct, env: dict):
        """Zeroed fields, then `__init__` on them (its `out self` is the new value)."""
        this, t = node.init.params[0], node.type
        fields = [memory.zero_value(ft) for _, ft in t.fields]
        frame = {this: memory.RefStruct(fields) if t.lifecycle is None
                 else memory.RefObject(fields, self, t)}
        handed = []
        for param, arg in zip(node.init.params[1:], node.args):
            if param.mutable and self.life(param.type):
                frame[param] = self.eval(arg, env)
                handed.append((param, arg))
            else:
                frame[param] = self.owned(arg, env) if param.mutable else self.eval(arg, env)
        for param, arg in handed:
            frame[param] = self.kept(arg, frame[param])
        try:
            self.call(node.init, frame)
        except RecursionError:
            raise self.too_deep(node.init) from None
        return self.temp(frame[this], t)

    def visit_StoreField(self, node: typed.StoreField, env: dict):
        value = self.owned(node.value, env)
        fields = self.eval(node.base, env).fields
        old, fields[node.index] = fields[node.index], value
        drop = self.life(node.value.type) and not node.init and \
            (node.held is None or env[node.held])
        for flag in node.flags:
            env[flag] = True
        if drop:
            self.drop(old, node.value.type)

    def visit_Ref(self, node: typed.Ref, env: dict):
        raise InternalError("reference: a Ref outside the arguments of a call")

    def owned(self, node: typed.Expr, env: dict):
        """`node`'s value as a variable takes it (a List or a struct is copied
        unless it is new)."""
        value = self.eval(node, env)
        if node.type.__class__ in _COPIED:
            if not typed.produces_owned(node):
                return value.copy()
            if self.temps and self.life(node.type):
                return self.kept(node, value)
        return value

    def visit_Move(self, node: typed.Move, env: dict):
        """`x^`: x's value, which x no longer holds (nothing drops it there)."""
        return self.temp(env.pop(node.var), node.type)

    def visit_Index(self, node: typed.Index, env: dict):
        base = self.eval(node.base, env)
        indices = [self.eval(i, env) for i in node.indices]
        try:
            return memory.index_get(base, indices, node.type)
        except Fault as fault:
            self._fault(fault, node)

    def visit_Builtin(self, node: typed.Builtin, env: dict):
        args, refs, handed = [], [], []
        for arg in node.args:
            if arg.__class__ is typed.Ref:      # read once every argument is made (as a call)
                cell = [None]
                refs.append((arg.place, cell, self.place_indices(arg.place, env)))
                args.append(cell)
            elif self.life(arg.type):           # as the JIT: kept once all are made
                if node.name in memory.TAKES_ELEMENTS:
                    handed.append(len(args))
                args.append(self.eval(arg, env))
            elif arg.type.__class__ is Struct or arg.type.__class__ is ListType and \
                    node.name in memory.TAKES_ELEMENTS:     # stored in a List: a copy of its own
                args.append(self.owned(arg, env))
            else:
                args.append(self.eval(arg, env))
        for k in handed:
            args[k] = self.kept(node.args[k], args[k])
        for place, cell, indices in refs:
            cell[0] = self.read_place(place, env, indices)
        dropped = self.dropped_elements(node, args) if refs else None
        try:
            result = _BUILTINS[node.name](node.type, *args)
        except Fault as fault:
            self._fault(fault, node)
        if dropped:
            for item in dropped:
                self.drop(item, node.args[0].type.element)
        for place, cell, indices in refs:
            self.assign_place(place, cell[0], env, indices)
        return self.temp(result, node.type) if result is not None else result

    def dropped_elements(self, node: typed.Builtin, args: list):
        """The elements that `clear()` or a shrinking `resize` drops, when dropping
        them runs a user's method (after the operation, as the JIT)."""
        if node.name not in ("list.clear", "list.resize") or \
                not self.life(node.args[0].type.element):
            return None
        items = args[0][0].items
        return list(items) if node.name == "list.clear" else \
            list(items[args[1]:]) if args[1] >= 0 else None

    def visit_MathCall(self, node: typed.MathCall, env: dict):
        args = [self.eval(arg, env) for arg in node.args]
        if args[0].__class__ is tuple:
            return self.simd_math(node, args)
        try:
            return math_call(node.name, args, node.args[0].type.dtype)
        except Fault as fault:
            self._fault(fault, node)

    def visit_Parallelize(self, node: typed.Parallelize, env: dict):
        """The oracle of a parallel region is the serial loop: body(0), body(1), ..."""
        count = self.eval(node.count, env)
        if node.workers is not None:
            self.eval(node.workers, env)
        fn = node.fn
        index = fn.params[0]
        for i in range(count):
            frame = {index: i}
            for var in fn.captures:
                frame[var] = env[var]
            try:
                self.call(fn, frame)
            except RecursionError:
                raise self.too_deep(fn) from None
            except RaisedError:
                self.copy_out(fn, frame, [], env)   # writes before the error stay
                raise
            self.copy_out(fn, frame, [], env)
        return None

    # -------------------------------------------------------------- statements
    def visit_Declare(self, node: typed.Declare, env: dict):
        if node.var.borrowed:       # `for x in l`'s element: neither copied nor dropped
            env[node.var] = self.eval(node.value, env)
        elif node.value is not None:
            self.store_var(node.var, self.owned(node.value, env), env)

    def visit_Assign(self, node: typed.Assign, env: dict):
        values = [self.owned(value, env) if target is not None else self.eval(value, env)
                  for target, value in zip(node.targets, node.values)]
        for target, value in zip(node.targets, values):
            if target is not None:
                self.store_var(target, value, env)

    def visit_ExprStmt(self, node: typed.ExprStmt, env: dict):
        self.eval(node.expr, env)

    def visit_Store(self, node: typed.Store, env: dict):
        value = self.owned(node.value, env)
        base = self.eval(node.base, env)
        indices = [self.eval(i, env) for i in node.indices]
        try:
            old = memory.index_get(base, indices, node.value.type) \
                if self.life(node.value.type) else None
            memory.index_set(base, indices, value)
        except Fault as fault:
            self._fault(fault, node)
        if old is not None:
            self.drop(old, node.value.type)

    def visit_Print(self, node: typed.Print, env: dict):
        # A list, not a generator: str.join would resume a generator from C,
        # and a call inside it would then grow the C stack.
        texts = [format_value(self.eval(value, env), value.type) for value in node.values]
        text = self.eval(node.sep, env).join(texts) + self.eval(node.end, env)
        try:
            self.out.write(text)
        except Exception as e:
            raise OutputRaised(e) from None

    def visit_If(self, node: typed.If, env: dict):
        if self.eval(node.cond, env):
            return self.exec_block(node.body, env)
        return self.exec_block(node.orelse, env)

    def visit_While(self, node: typed.While, env: dict):
        while self.eval(node.cond, env):
            signal = self.exec_block(node.body, env)
            if signal is not None:
                if signal is _BREAK:
                    break
                if signal is not _CONTINUE:
                    return signal
        return None

    def visit_ForRange(self, node: typed.ForRange, env: dict):
        start = self.eval(node.start, env)
        stop = self.eval(node.stop, env)
        step = self.eval(node.step, env)
        if step == 0:
            self._fault(Fault(ZERO_STEP), node)
        var, body = node.var, node.body
        for value in range(start, stop, step):
            env[var] = value
            signal = self.exec_block(body, env)
            if signal is not None:
                if signal is _BREAK:
                    break
                if signal is not _CONTINUE:
                    return signal
        return None

    def visit_Break(self, node: typed.Break, env: dict):
        return _BREAK

    def visit_Continue(self, node: typed.Continue, env: dict):
        return _CONTINUE

    def visit_Return(self, node: typed.Return, env: dict):
        return _Return(None if node.value is None else self.owned(node.value, env))

    def visit_Raise(self, node: typed.Raise, env: dict):
        value = self.eval(node.message, env)
        if value.__class__ is ErrorValue:       # `raise e`: where e was first raised
            raise RaisedError(value.message, value.span or node.span)
        raise RaisedError(value, node.span)

    def visit_Try(self, node: typed.Try, env: dict):
        try:
            return self.exec_block(node.body, env)
        except RaisedError as err:
            if node.var is not None:
                env[node.var] = ErrorValue(err.message, err.span)
        return self.exec_block(node.handler, env)


class _ConstEvaluator(_Interpreter):
    """`eval_const`: faults stay `semantics.Fault`; variables and calls are bugs."""

    def _fault(self, fault: Fault, node: typed.Node):
        raise fault

    def visit_Load(self, node: typed.Load, env: dict):
        raise InternalError(f"reference: variable {node.var.name!r} in a constant expression")

    def visit_Call(self, node: typed.Call, env: dict):
        raise InternalError(f"reference: call of {node.fn.name!r} in a constant expression")

    def visit_Builtin(self, node: typed.Builtin, env: dict):
        if node.name in stdlib.BUILTINS:      # random numbers and clocks run, never fold
            raise InternalError(f"reference: {node.name} in a constant expression")
        return super().visit_Builtin(node, env)


def _node_classes() -> tuple[type, ...]:
    """Every concrete node class of `typed` (the leaves below Expr and Stmt)."""
    abstract = (typed.Node, typed.Expr, typed.Stmt)
    return tuple(cls for cls in vars(typed).values()
                 if isinstance(cls, type) and issubclass(cls, typed.Node)
                 and cls not in abstract)


_NODE_CLASSES = _node_classes()
