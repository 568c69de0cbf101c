"""Parser: source text → `syntax.Module`.

In: a `Source`. Out: a tree of `syntax` nodes, each with its span, or a
`CompileError` whose message names what was expected at the exact column.
Lark parses with LALR(1) and the `Indenter` postlexer. No parse tree is built:
`_Build` gives Lark's LALR driver one callback per grammar rule, which makes the
rule's node as the rule reduces and tracks the offsets of its first and last token
(what Lark's `propagate_positions` would give), so each node's span covers its
whole rule, keywords and brackets included. Binary, unary and boolean operators
are one flat grammar rule that `_Build` nests by Python's precedence, which saves
a dozen reductions per operand.
"""
from __future__ import annotations

import dataclasses

import functools
import re
import unicodedata
from pathlib import Path

from . import syntax as S
from .errors import CompileError, UserError
from .source import Source, Span

_GRAMMAR = Path(__file__).with_name("grammar.lark")

_KEYWORD_TOKENS = {
    "COLON": "':'", "RPAR": "')'", "RSQB": "']'", "LPAR": "'('", "EQUAL": "'='",
    "_NEWLINE": "a new line", "NAME": "a name", "COMMA": "','", "_INDENT": "an indented block",
    "_DEDENT": "the end of the block", "$END": "the end of the file",
}


@functools.cache
def _lark():
    lark = _lark_as_built()
    _scan_with_root_first(lark.parser.lexer.lexer)
    return lark


def _lark_as_built():
    """Lark's parser for the grammar, its lexer as Lark made it."""
    from lark import Lark
    from lark.indenter import Indenter

    class _Indent(Indenter):
        NL_type = "_NEWLINE"
        OPEN_PAREN_types = ["LPAR", "LSQB"]
        CLOSE_PAREN_types = ["RPAR", "RSQB"]
        INDENT_type = "_INDENT"
        DEDENT_type = "_DEDENT"
        tab_len = 8

        def handle_NL(self, token):
            # Lark's own dedent error carries no position; ours points at the line.
            if self.paren_level > 0:
                return
            yield token
            indent = len(token.rsplit("\n", 1)[1].expandtabs(self.tab_len))
            if indent > self.indent_level[-1]:
                self.indent_level.append(indent)
                yield token.__class__.new_borrow_pos(self.INDENT_type, token, token)
            else:
                while indent < self.indent_level[-1]:
                    self.indent_level.pop()
                    yield token.__class__.new_borrow_pos(self.DEDENT_type, token, token)
                if indent != self.indent_level[-1]:
                    raise _BadDedent(token, indent)

    return Lark(_GRAMMAR.read_text(), parser="lalr", postlex=_Indent(),
                maybe_placeholders=True, cache=True,
                lexer_callbacks={"NAME": _not_reserved})


# The grammar's keywords but `raises`, `capturing` and `escaping`, which Mojo reads
# by position (as `mut`, `out`, `ref` are): a parser state that takes a name but not
# the keyword lexes the word as a NAME, and `_not_reserved` refuses it there.
_RESERVED_WORDS = frozenset((
    "var let alias comptime fn def struct trait if elif else while for in try except "
    "finally as return raise pass break continue import from nonlocal not and or "
    "True False None").split())


_IDENTIFIER = re.compile(r"\w+")


class _ReservedName(Exception):
    def __init__(self, token):
        self.token = token


def _not_reserved(token):
    """Lark's callback on each NAME token (one that spells a keyword the parser
    state takes is that keyword's token instead, and not seen here)."""
    if token in _RESERVED_WORDS:
        raise _ReservedName(token)
    return token


def _scan_with_root_first(contextual) -> None:
    """Make Lark's contextual lexer try its root scanner (every terminal, one
    regular expression) before the scanner of the parser's state.

    Lark compiles one scanner per set of terminals a parser state accepts, each
    on its first use: about 25 regular expressions, 6-7 of the 10 ms of a small
    program's first parse in a process. Here a state's lexer keeps the root
    scanner's token when the state accepts the token's type, and lexes again
    with its own scanner otherwise (which also makes every error Lark's own).
    For this grammar the two agree: terminals keep one relative order in every
    scanner, so a state's scanner can differ from the root only through the
    keywords that the root folds into NAME (Lark's callback turns a NAME that
    spells a keyword into it). A keyword can match only where NAME does and no
    other terminal can, so a state without NAME that accepts the keyword lexes
    the same text as that keyword. `tests/test_fuzz_frontend.py` compares the
    two lexers."""
    from lark import Token
    from lark import lexer as lark_lexer
    from lark.lexer import BasicLexer
    sliced = hasattr(lark_lexer, "TextSlice")   # Lark 1.3 lexes a TextSlice, 1.2 a str
    root = contextual.root_lexer
    ignored, newlines = root.ignore_types, root.newline_types
    scan = []        # [match, callbacks], on first use: root's scanner is built lazily too

    def next_token(lexer, names, lex_state, parser_state=None):
        if not scan:
            scan[:] = [root.scanner.match, root.callback]
        match, callbacks = scan
        line_ctr, text = lex_state.line_ctr, lex_state.text
        end = text.end if sliced else len(text)
        while line_ctr.char_pos < end:
            found = match(text, line_ctr.char_pos)
            if not found:
                break
            value, kind = found
            if kind not in names and kind not in callbacks:
                break
            if kind in ignored:
                if kind in callbacks:
                    break
                line_ctr.feed(value, kind in newlines)
                continue
            token = Token(kind, value, line_ctr.char_pos, line_ctr.line, line_ctr.column)
            if kind in callbacks:
                token = callbacks[kind](token)
            if token.type not in names:
                break
            line_ctr.feed(value, kind in newlines)
            token.end_line, token.end_column = line_ctr.line, line_ctr.column
            token.end_pos = line_ctr.char_pos
            lex_state.last_token = token
            return token
        return BasicLexer.next_token(lexer, lex_state, parser_state)

    for lexer in {id(lx): lx for lx in contextual.lexers.values()}.values():
        lexer.next_token = functools.partial(next_token, lexer,
                                             frozenset(t.name for t in lexer.terminals))


class _BadDedent(Exception):
    def __init__(self, token, indent):
        self.token, self.indent = token, indent


def parse(source: Source) -> S.Module:
    """Parse a whole file. Raises CompileError with the first syntax error."""
    _check_tabs(source)
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    from lark.exceptions import UnexpectedInput
    from lark.parsers.lalr_parser import _Parser
    frontend = _lark().parser
    build = _Build(source)
    try:
        # Lark's own LALR driver with our callbacks: nodes are built as rules reduce.
        parser = _Parser(frontend.parser.parser.parse_table, build.callbacks())
        tokens = frontend._make_lexer_thread(text)
        transfers = _transfers(text)
        if transfers:
            tokens = _TransferTokens(tokens, transfers)
        result = parser.parse(tokens, "start")
    except _BadDedent as e:
        line_start = e.token.end_pos - e.indent
        raise CompileError([UserError(
            "unindent does not match any outer indentation level",
            source.span(line_start, line_start + max(1, e.indent)),
            label="this line's indentation matches no enclosing block")]) from None
    except _ReservedName as e:
        raise CompileError([_reserved_word(source, e.token.start_pos)]) from None
    except UnexpectedInput as e:
        raise CompileError([_syntax_error(source, e)]) from None
    if isinstance(build.error, UserError):
        raise CompileError([build.error]) from None
    if build.error is not None:
        raise build.error
    return _value(result)


# A string or a comment, as the lexer reads them: brackets, quotes and line starts in
# them are text.
_STRING_OR_COMMENT = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|'
                                r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')


# `^` is xor, and also Mojo's transfer sigil `x^` (a postfix move). A `^` is the
# sigil when what follows it cannot start an operand: `)`, `,`, `]`, `;`, `.` (not
# `.5`), or the end of the line outside brackets (inside brackets the expression
# goes on over the line break: `(a ^` then `b)` is xor).
_CARET = re.compile(_STRING_OR_COMMENT.pattern + r"|[()\[\]]|\^=?")
_AFTER_SIGIL = re.compile(r"[ \t]*(?:[),\];#]|\.(?![0-9])|\r?\n|$)")
_AFTER_SIGIL_IN_BRACKETS = re.compile(r"(?:\s|\\|#[^\n]*)*(?:[),\]]|\.(?![0-9]))")


def _transfers(text: str) -> frozenset[int]:
    """The offsets of the `^`s in `text` that are transfer sigils."""
    if "^" not in text:
        return frozenset()
    found, depth = set(), 0
    for m in _CARET.finditer(text):
        ch = m.group()
        if ch == "(" or ch == "[":
            depth += 1
        elif ch == ")" or ch == "]":
            depth = max(0, depth - 1)
        elif ch == "^" and (_AFTER_SIGIL_IN_BRACKETS if depth else _AFTER_SIGIL).match(
                text, m.end()):
            found.add(m.start())
    return frozenset(found)


class _TransferTokens:
    """The lexer's tokens, each `^` at an offset in `at` retyped as the sigil."""

    def __init__(self, tokens, at: frozenset[int]):
        self.tokens, self.at = tokens, at

    def lex(self, parser_state):
        for tok in self.tokens.lex(parser_state):
            if tok.type == "CIRCUMFLEX" and tok.start_pos in self.at:
                tok = tok.new_borrow_pos("_TRANSFER", tok.value, tok)
            yield tok


def _check_tabs(source: Source) -> None:
    """A tab in a line's indentation is an error; a line that starts inside a
    triple-quoted string is text, tabs and all, and one that goes on a statement
    (inside brackets, or after a `\\`) has no indentation (Python's rules)."""
    if "\t" not in source.text:        # the usual case: nothing to scan
        return
    spans = [m.span() for m in _STRING_OR_COMMENT.finditer(source.text)]
    going_on = _continued_lines(source.text, spans)
    strings = iter([(a, b) for a, b in spans if "\n" in source.text[a:b]]
                   + [(len(source.text) + 1,) * 2])
    string = next(strings)
    offset = 0
    for line in source.text.split("\n"):
        while string[1] <= offset:
            string = next(strings)
        stripped = line.lstrip(" \t")
        lead = line[:len(line) - len(stripped)]
        in_string = string[0] < offset < string[1]
        if "\t" in lead and stripped and not stripped.startswith("#") and not in_string \
                and offset not in going_on:
            col = lead.index("\t")
            raise CompileError([UserError(
                "tab character in indentation", source.span(offset + col, offset + col + 1),
                label="indent with spaces", hint="mojolite indents with spaces only; "
                "replace each tab with spaces (4 per level is usual)")])
        offset += len(line) + 1


def _continued_lines(text: str, skipped: list[tuple[int, int]]) -> set[int]:
    """The offsets of the lines that go on the line before: it left a bracket
    open, or ended with a `\\` (outside the strings and comments `skipped`)."""
    out: set[int] = set()
    depth = pos = 0
    for start, end in skipped + [(len(text), len(text))]:
        for k in range(pos, start):
            c = text[k]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth = max(0, depth - 1)
            elif c == "\n":
                j = k - 1
                while j >= pos and text[j] in " \t\f\r":
                    j -= 1
                if depth or j >= pos and text[j] == "\\":
                    out.add(k + 1)
        pos = end
    return out


def _syntax_error(source: Source, e) -> UserError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken
    if isinstance(e, UnexpectedCharacters):
        ch = source.text[e.pos_in_stream] if e.pos_in_stream < len(source.text) else ""
        what = {"'": "unterminated string literal", '"': "unterminated string literal",
                "$": "unexpected character '$'", "?": "unexpected character '?'",
                "\\": "unexpected character after line continuation character"}
        msg = what.get(ch, f"unexpected character {ch!r}")
        return UserError(msg, source.span(e.pos_in_stream, e.pos_in_stream + 1),
                         hint="write `not x`" if ch == "!" else "")
    # A `\` that ends the file joins its line with nothing: the indenter closes the
    # blocks (a _DEDENT) where the statement goes on.
    cut_short = isinstance(e, UnexpectedToken) and (e.token.type == "$END" or (
        e.token.type == "_DEDENT" and source.text.rstrip().endswith("\\")))
    if isinstance(e, UnexpectedEOF) or cut_short:
        end = len(source.text.rstrip())
        return UserError("unexpected end of file", source.span(max(0, end - 1), max(1, end)),
                         label="the program stops here, in the middle of a statement")
    tok = e.token
    start = tok.start_pos if tok.start_pos is not None else 0
    expected = set(e.expected) if e.expected else set()
    misplaced = _misplaced(source, start) or _reserved_name(source, start) or \
        _unpacking(source, start)
    if misplaced is not None:
        return misplaced
    # A token that starts a line inside brackets (`f(1, 2` then the next statement):
    # the bracket is what is wrong.
    starts_line = not source.text[source.text.rfind("\n", 0, start) + 1:start].strip()
    if tok.type in ("_INDENT", "_DEDENT", "$END") or starts_line:
        opened = _unclosed_bracket(source.text)
        if opened is not None and (opened < start or not starts_line):
            return UserError(f"'{source.text[opened]}' was never closed",
                             source.span(opened, opened + 1), label="opened here")
    if tok.type == "_INDENT":
        # The token is the newline before the indented line; point at its first character.
        stop = start + str(tok).rfind("\n") + 1
        while stop < len(source.text) and source.text[stop] == " ":
            stop += 1
        return UserError("unexpected indentation", source.span(stop, stop + 1),
                         label="this line is indented more than the block it is in")
    if tok.type == "_DEDENT":
        return UserError("expected an indented block", source.span(start, start + 1))
    if tok.type == "_NEWLINE":
        # Point just after the last token of the line, where the missing piece goes.
        at = start
        while at > 0 and source.text[at - 1] in " \t":
            at -= 1
        if "COLON" in expected:
            return UserError("expected ':'", source.span(at, at + 1),
                             label="a block header ends with ':'")
        return UserError("unexpected end of line", source.span(at, at + 1),
                         label=_expected_label(expected))
    end = tok.end_pos if tok.end_pos is not None else start + 1
    if "_INDENT" in expected or _follows_block_header(source.text, start):
        return UserError("expected an indented block", source.span(start, end),
                         label="the body of a block is indented under its header")
    if tok.type == "EQUAL" and expected & {"COLON", "RPAR"}:
        return UserError("invalid syntax: '=' is assignment", source.span(start, end),
                         label="here", hint="use '==' to compare values")
    foreign = _foreign_spelling(source, tok, start, end)
    if foreign is not None:
        return foreign
    return UserError(f"invalid syntax: unexpected {_describe(tok)}", source.span(start, end),
                     label=_expected_label(expected))


# The token before the unexpected one: a name, `&` or `|`
_LAST_WORD = re.compile(r"(\w+|&|\|)[ ]*$")
_FOREIGN = {"elsif": "write `elif`", "elseif": "write `elif`", "&": "write `and`",
            "|": "write `or`"}


# Python statements the language lacks, read as a name followed by something that
# cannot follow a name (`global N`): what to write instead.
_PYTHON_STATEMENTS = {
    "global": "a function reads a top-level `alias` (in a kernel, a module constant) and "
              "cannot assign it: pass the value in and return the result, or take a `mut` "
              "parameter",
    "with": "call the setup and the cleanup explicitly (`try:` ... `finally:` runs the "
            "cleanup however the block ends)",
    "yield": "generators are not supported: append the values to a List and return it",
    "del": "a value is released when no variable refers to it any more",
    "match": "test the cases with `if` ... `elif` ... `else`",
}


def _python_exception(name: str) -> bool:
    """Whether `name` is one of Python's exception classes (ValueError, Exception ...)."""
    import builtins
    value = getattr(builtins, name, None)
    return isinstance(value, type) and issubclass(value, BaseException)


def _foreign_spelling(source: Source, tok, start: int, end: int) -> UserError | None:
    """A spelling from another language that stops the parse at `tok`: `elsif`,
    `else if`, `&&`, `||`, `a is b`, `f"..."` and `lambda`; the message
    points at it and the hint says what to write instead."""
    text = source.text
    before = _LAST_WORD.search(text, text.rfind("\n", 0, start) + 1, start)
    word = before.group(1) if before is not None else ""
    if tok.type == "IF" and word == "else":
        return UserError("invalid syntax: 'else if'", source.span(before.start(1), end),
                         hint="write `elif`")
    if tok.type == "NAME" and str(tok) == "is":
        return UserError("invalid syntax: 'is' is not supported", source.span(start, end),
                         hint="compare values with '==' (and '!=' for `is not`)")
    if word == "f" and tok.type == "STRING" and before.end(1) == start:
        return UserError("f-strings are not supported", source.span(before.start(1), end),
                         hint='print the values one after another: `print("x =", x)`')
    if word == "assert" and not text[text.rfind("\n", 0, start) + 1:before.start(1)].strip():
        return UserError("'assert' is not supported", source.span(before.start(1), before.end(1)),
                         hint='test and raise: `if not (x > 0): raise Error("x must be '
                              'positive")`')
    if word == "lambda":
        return UserError("lambda is not supported", source.span(before.start(1), before.end(1)),
                         hint="define a nested `fn` instead (with @parameter to capture locals)")
    if word in _PYTHON_STATEMENTS and \
            not text[text.rfind("\n", 0, start) + 1:before.start(1)].strip():
        return UserError(f"'{word}' statements are not supported",
                         source.span(before.start(1), before.end(1)),
                         hint=_PYTHON_STATEMENTS[word])
    if word in _FOREIGN and (len(word) > 1 or str(tok) == word and before.end(1) == start):
        return UserError(f"invalid syntax: '{word}{tok}'" if len(word) == 1 else
                         f"invalid syntax: '{word}' is not a keyword",
                         source.span(before.start(1), end if len(word) == 1 else before.end(1)),
                         hint=_FOREIGN[word])
    return None


_BRANCH_WORD = re.compile(r"[ ]*(else|elif)\b")


def _misplaced(source: Source, offset: int) -> UserError | None:
    """Two mistakes whose token alone reads as something else: a line that starts
    with `else`/`elif` where no `if` is open (the rest of its line is unexpected),
    and a number that Python refuses (`08`, `1__0`, `0b12`) lexed as two tokens."""
    text = source.text
    line_start = text.rfind("\n", 0, offset) + 1
    branch = _BRANCH_WORD.match(text, line_start)
    if branch is not None and not text[branch.end():offset].strip() and \
            not _follows_if(text, line_start, branch.start(1) - line_start):
        return UserError(f"'{branch.group(1)}' without a matching 'if'",
                         source.span(branch.start(1), branch.end(1)),
                         label="no `if` block just above, at this indentation")
    return _bad_number(source, line_start, offset)


_BASES = {"x": ("hexadecimal", "0-9 and a-f", "[0-9a-fA-F]"), "o": ("octal", "0 to 7", "[0-7]"),
          "b": ("binary", "0 and 1", "[01]")}


def _bad_number(source: Source, line_start: int, offset: int) -> UserError | None:
    """A number run into the token at `offset` with no space between, which Python
    refuses as one malformed literal with its own message: `1__0`, `1_`, `123abc`,
    `1e+3x`, `0b12`, `0o8`, `0x` with no digits, `08` (leading zeros)."""
    text = source.text
    if not re.match(r"\w", text[offset:offset + 1]):
        return None
    at = offset
    while at > line_start and (text[at - 1].isalnum() or text[at - 1] in "_."):
        at -= 1
    if at == offset or not re.match(r"\.?\d", text[at:offset]):
        return None
    end = re.compile(r"[\w.]*").match(text, offset).end()
    literal = text[at:end]
    base = _BASES.get(literal[1:2].lower()) if literal[0] == "0" else None
    if base is None:
        if re.fullmatch(r"0[0-9_]*", literal) and literal.strip("0_"):
            return UserError("leading zeros in decimal integer literals are not permitted",
                             source.span(at, end), label="here",
                             hint=f"write `{literal.lstrip('0_')}`; an octal number is "
                                  "written `0o17`")
        return UserError("invalid decimal literal", source.span(at, end),
                         label="digits, one `.` and an exponent such as `e-3`, "
                               "with `_` only between two digits")
    kind, digits, digit = base
    wrong = re.search(r"(?!" + digit + r")\d", literal[2:])
    if wrong is not None:
        return UserError(f"invalid digit '{wrong.group()}' in {kind} literal",
                         source.span(at, end), label=f"{kind} digits are {digits}")
    if not re.match("_?" + digit, literal[2:]):
        return UserError(f"invalid {kind} literal", source.span(at, at + 2),
                         label=f"`{literal[:2]}` needs digits after it")
    return UserError(f"invalid {kind} literal", source.span(at, end),
                     label=f"{kind} digits are {digits}, with `_` only between two digits")


# A declaration word run into what can only follow a name: `var = 3`, `fn.x`,
# `alias[0]`, `print(fn)` (Lark lexes the word as its keyword where the keyword may
# come, so the parse stops at the token after it).
_RESERVED_NAME = re.compile(r"(?<![\w.])(var|let|alias|comptime|fn|def|struct|trait)[ ]*"
                            r"(?:[-+*/%&|^@<>]*=|,|\.|\[|\)|\])")


# `comptime` just before the token that stopped the parse (`comptime while ...`)
_COMPTIME_BEFORE = re.compile(r"(?<![\w.])comptime[ ]+\Z")


def _reserved_name(source: Source, offset: int) -> UserError | None:
    """A word the language reserves, used as a name just before the token at
    `offset` that stopped the parse, as Python (a Python kernel) allows."""
    text = source.text
    line_start = text.rfind("\n", 0, offset) + 1
    for m in _RESERVED_NAME.finditer(text, line_start, offset + 4):
        if m.end() > offset and not text[m.end(1):offset].strip():
            return _reserved_word(source, m.start(1), m.end(1))
    return None


_DECORATOR = re.compile(r"[ ]*@[ ]*(\w+(?:[ ]*\.[ ]*\w+)*)")


def _reserved_word(source: Source, start: int, end: int | None = None) -> UserError:
    """The error for the reserved word at `start`, lexed as a name (`end` None):
    a branch word that starts a line where no block takes it is misplaced."""
    if end is None:
        end = _IDENTIFIER.match(source.text, start).end()
        if _COMPTIME_BEFORE.search(source.text, 0, start):
            return UserError(f"`comptime` cannot come before '{source.text[start:end]}'",
                             source.span(start, end),
                             hint="`comptime if` and `comptime for` run at compile time; "
                                  "`comptime NAME = value` defines a constant")
        misplaced = _misplaced(source, start)
        if misplaced is not None:
            return misplaced
        word = source.text[start:end]
        line_start = source.text.rfind("\n", 0, start) + 1
        if word in ("except", "finally") and not source.text[line_start:start].strip():
            return UserError(f"'{word}' without a matching 'try'", source.span(start, end),
                             label="no `try` block just above, at this indentation")
    word = source.text[start:end]
    decorator = _DECORATOR.match(source.text, source.text.rfind("\n", 0, start) + 1)
    if decorator is not None and decorator.start(1) < start < decorator.end(1):
        # `@mojolite.fn` (a Python kernel's line) is no decorator of the language
        return UserError(f"unknown decorator '@{decorator.group(1)}'",
                         source.span(decorator.start(1) - 1, decorator.end(1)),
                         hint="`@mojolite.fn` marks a Python def; in a .ml file write the "
                              "function without it" if decorator.group(1) == "mojolite.fn"
                         else "")
    return UserError(f"'{word}' is a reserved word: it cannot be used as a name",
                     source.span(start, end), label="reserved",
                     hint=f"rename it (e.g. `{word}_`)")


# `*` or `**` where an argument or a parameter starts, with the name after it
_STARS = re.compile(r"(\*\*?)[ ]*(\w*)")
# the text before a parameter list's `(`: `fn name` or `def name[...]`
_DEF_HEAD = re.compile(r"\b(?:fn|def)[ ]+\w+[ ]*(?:\[.*\])?[ ]*$")


def _unpacking(source: Source, offset: int) -> UserError | None:
    """Python's unpacking, which stops the parse at or just after its stars:
    `f(*l)`, `f(**kw)` and `def f(**kw)` (a `*vals: T` parameter is Mojo's
    variadic and parses)."""
    text = source.text
    at = offset
    while at > 0 and text[at - 1] == "*":
        at -= 1
    m = _STARS.match(text, at)
    if m is None or not re.search(r"[(,][ \t\n\\]*$", text[:at]):
        return None
    opened = _open_bracket(text, at)
    if opened is None or text[opened] != "(":
        return None
    stars, name = m.group(1), m.group(2) or "kwargs"
    span = source.span(at, m.end() if m.group(2) else m.end(1))
    line_start = text.rfind("\n", 0, opened) + 1
    if _DEF_HEAD.search(text, line_start, opened):
        if stars == "*":
            return None
        return UserError(f"a `**{name}` parameter is not supported", span,
                         label="keyword arguments cannot be collected",
                         hint="declare each keyword parameter by name, with a default if it "
                              "may be left out: `x: Int = 0`")
    if stars == "**":
        return UserError(f"unpacking keyword arguments with `**{name}` is not supported",
                         span, label="here",
                         hint="pass each keyword argument by name: `f(a=x, b=y)`")
    return UserError(f"unpacking arguments with `*{name}` is not supported", span,
                     label="here", hint=f"pass the elements one by one (`f({name}[0], "
                     f"{name}[1])`), or give the function a List parameter and pass `{name}`")


def _open_bracket(text: str, offset: int) -> int | None:
    """Offset of the innermost bracket open at `offset` (strings and comments skipped)."""
    stack: list[int] = []
    for m in re.finditer(_STRING_OR_COMMENT.pattern + r"|[()\[\]]", text[:offset]):
        ch = m.group()
        if ch in "([":
            stack.append(m.start())
        elif ch in ")]" and stack:
            stack.pop()
    return stack[-1] if stack else None


def _follows_if(text: str, line_start: int, indent: int) -> bool:
    """Is the line at `line_start` (indented `indent`) inside an if statement: is the
    nearest line above at its indentation an `if` or `elif` header, with only deeper
    lines (that header's block) between?"""
    for line in reversed(text[:line_start].split("\n")):
        code = line.split("#")[0]
        if not code.strip():
            continue
        depth = len(code) - len(code.lstrip(" "))
        if depth < indent:
            return False
        if depth == indent:
            return re.match(r"\s*(if|elif)\b", code) is not None
    return False


def _follows_block_header(text: str, offset: int) -> bool:
    """Is `offset` the first token of a line right after a line ending in ':'?"""
    line_start = text.rfind("\n", 0, offset) + 1
    if text[line_start:offset].strip():
        return False
    before = [l.split("#")[0].rstrip() for l in text[:line_start].splitlines()]
    before = [l for l in before if l]
    return bool(before) and before[-1].endswith(":")


def _unclosed_bracket(text: str) -> int | None:
    """Offset of the first bracket never closed (strings and comments skipped)."""
    stack: list[int] = []
    pairs = {")": "(", "]": "["}
    for m in re.finditer(_STRING_OR_COMMENT.pattern + r"|[()\[\]]", text):
        ch = m.group()
        if ch in "([":
            stack.append(m.start())
        elif ch in ")]":
            if stack and text[stack[-1]] == pairs[ch]:
                stack.pop()
    return stack[0] if stack else None


def _describe(tok) -> str:
    if tok.type == "NAME":
        return f"name '{tok}'"
    if tok.type in ("DEC_NUMBER", "FLOAT_NUMBER", "HEX_NUMBER", "BIN_NUMBER", "OCT_NUMBER"):
        return f"number {tok}"
    if tok.type == "STRING":
        return "string"
    return f"'{tok}'"


def _expected_label(expected: set[str]) -> str:
    if {"NAME", "DEC_NUMBER", "LPAR"} <= expected:
        return "expected an expression"
    names = sorted(_KEYWORD_TOKENS[t] for t in expected if t in _KEYWORD_TOKENS)
    if 0 < len(names) <= 4:
        return "expected " + " or ".join(names)
    return ""


# ------------------------------------------------------------------ tree → nodes
def _strip_none(items):
    return tuple(x for x in items if x is not None)


_SIMPLE_ESCAPES = {"\n": "", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b",
                   "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_NEEDS_UNESCAPE = re.compile(r"[\\\r\ud800-\udfff]")    # an escape, a CR or a surrogate


def _unescape(source: Source, tok) -> str:
    """The value of one STRING token, with Python's escapes.

    A malformed escape (`\\x4`, `\\N{NO SUCH NAME}`) or one that names no character
    (a surrogate such as `\\ud800`, or a code point past U+10FFFF) is a UserError whose
    span is the escape itself. An unknown escape (`\\q`) keeps its backslash, as in
    Python. A CRLF inside a triple-quoted string reads as one newline.
    """
    raw = str(tok)
    prefix = 1 if raw[0] in "rR" else 0     # a raw string keeps its backslashes
    quote = 3 if raw[prefix:prefix + 3] in ('"""', "'''") else 1
    body, base = raw[prefix + quote:-quote], tok.start_pos + prefix + quote
    if prefix:
        return body.replace("\r\n", "\n")
    if not _NEEDS_UNESCAPE.search(body):
        return body

    def span(i: int, j: int) -> Span:
        return source.span(base + i, base + j)

    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if body.startswith("\r\n", i):
            out.append("\n")
            i += 2
            continue
        if ch != "\\":
            if 0xD800 <= ord(ch) <= 0xDFFF:
                raise UserError("a lone surrogate cannot appear in a string", span(i, i + 1))
            out.append(ch)
            i += 1
            continue
        kind = body[i + 1]        # the token's pattern pairs every backslash with a character
        if body.startswith("\r\n", i + 1):       # a backslash before a line end joins lines
            i += 3
        elif kind in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[kind])
            i += 2
        elif kind in "01234567":
            j = i + 2
            while j < min(i + 4, len(body)) and body[j] in "01234567":
                j += 1
            out.append(chr(int(body[i + 1:j], 8)))
            i = j
        elif kind in _HEX_DIGITS:
            n = _HEX_DIGITS[kind]
            j = i + 2
            while j < min(i + 2 + n, len(body)) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            if j - i - 2 < n:
                raise UserError(f"invalid escape '{body[i:j]}' in a string", span(i, j),
                                label=f"'\\{kind}' takes exactly {n} hex digits",
                                hint="write a backslash itself as '\\\\'")
            out.append(_escaped_char(int(body[i + 2:j], 16), body[i:j], span(i, j)))
            i = j
        elif kind == "N":
            close = body.find("}", i + 2)
            if not body.startswith("{", i + 2) or close < 0:
                raise UserError("invalid escape '\\N' in a string", span(i, i + 2),
                                label="write '\\N{NAME}' with a Unicode character name",
                                hint="write a backslash itself as '\\\\'")
            name = body[i + 3:close]
            try:
                char = unicodedata.lookup(name)
            except KeyError:
                char = ""
            if len(char) != 1:       # no such name, or a named sequence of characters
                raise UserError(f"unknown Unicode character name '{name}'",
                                span(i, close + 1), label="no single character has this name")
            out.append(char)
            i = close + 1
        else:
            out.append(body[i:i + 2])
            i += 2
    return "".join(out)


def _escaped_char(code: int, escape: str, span: Span) -> str:
    if 0xD800 <= code <= 0xDFFF:
        raise UserError(f"'{escape}' is a lone surrogate, not a character", span,
                        label="a string holds characters only",
                        hint="write the character itself, or one '\\U' escape for it "
                             "('\\U0001F600', not the pair '\\ud83d\\ude00')")
    if code > 0x10FFFF:
        raise UserError(f"'{escape}' is past U+10FFFF, the last Unicode character", span)
    return chr(code)


class _W:
    """One reduced rule while parsing: its value and the offsets of its first and last
    token, filtered keywords and brackets included (None for a rule that matched nothing)."""
    __slots__ = ("v", "cs", "ce")

    def __init__(self, v, cs, ce):
        self.v, self.cs, self.ce = v, cs, ce


def _first(items):
    for c in items:
        if c.__class__ is _W:
            if c.cs is not None:
                return c.cs
        elif c is not None:
            return c.start_pos
    return None


def _last(items):
    for c in reversed(items):
        if c.__class__ is _W:
            if c.ce is not None:
                return c.ce
        elif c is not None:
            return c.end_pos
    return None


def _compile_time(node: S.If, span: Span | None = None) -> S.If:
    """`node` and the `If`s its `elif`s made, marked `@parameter` (decided while checking)."""
    orelse = node.orelse
    if len(orelse) == 1 and isinstance(orelse[0], S.If) and orelse[0].is_elif:
        orelse = (_compile_time(orelse[0]),)
    return S.If(node.cond, node.body, orelse, node.is_elif, True,
                span=span if span is not None else node.span)


class _Slash:
    """The `/` among a function's parameters (the ones before it are positional-only)."""

    def __init__(self, span: Span):
        self.span = span


def _positional_only(params: tuple) -> tuple:
    """`params` without the `/`, those before it marked positional-only (as Python's:
    once, not first, ahead of a `*`)."""
    slashes = [k for k, p in enumerate(params) if isinstance(p, _Slash)]
    if not slashes:
        return params
    if len(slashes) > 1:
        raise UserError("`/` may appear only once among the parameters",
                        params[slashes[1]].span)
    k = slashes[0]
    if k == 0:
        raise UserError("at least one parameter must precede `/`", params[0].span,
                        hint="`fn f(a: Int, b: Int, /)`: the parameters before `/` are "
                             "passed by position only")
    if any(isinstance(p, Span) or p.variadic for p in params[:k]):
        raise UserError("`/` must be ahead of `*`", params[k].span)
    return tuple(dataclasses.replace(p, positional_only=True, span=p.span)
                 for p in params[:k]) + params[k + 1:]


def _some_parameters(ct_params: tuple, params: tuple) -> tuple[tuple, tuple]:
    """Mojo's `x: Some[Trait]`: an infer-only type parameter of its own, bound by `x`'s
    type (`fn f[T: Trait, //](x: T)`); `Some[Writer]` stays (the checker's String writer)."""
    extra, out = [], []
    for p in params:
        t = p.type
        if isinstance(t, S.Subscript) and isinstance(t.value, S.Name) and \
                t.value.id == "Some" and len(t.args) == 1 and not t.kwargs and \
                not (isinstance(t.args[0], S.Name) and t.args[0].id == "Writer"):
            name = f"Some_{p.name}"
            extra.append(S.CtParam(name, t.args[0], None, True, span=t.span))
            p = dataclasses.replace(p, type=S.Name(name, span=t.span), span=p.span)
        out.append(p)
    if not extra:
        return ct_params, params
    return tuple(extra) + ct_params, tuple(out)


def _value(c):
    return c.v if c.__class__ is _W else c


@functools.cache
def _plans():
    """For each grammar rule: how its children are kept, placed and built (see `_callback`)."""
    plans = []
    for rule in _lark().rules:
        n = len(rule.expansion)
        empties = rule.options.empty_indices
        if empties:
            runs = [len(r) for r in "".join("1" if b else "0" for b in empties).split("0")]
        else:
            runs = [0] * (n + 1)
        include, nones = [], 0
        for i, sym in enumerate(rule.expansion):
            nones += runs[i]
            if rule.options.keep_all_tokens or not (sym.is_term and sym.filter_out):
                include.append((i, not sym.is_term and sym.name.startswith("_"), nones))
                nones = 0
        name = rule.alias or rule.origin.name
        plans.append((rule, name, tuple(include), nones + runs[n], n,
                      bool(rule.options.expand1 and not rule.alias)))
    return plans


class _Build:
    """Reduced rules → syntax nodes while Lark parses. One method per grammar rule
    (`r_` + the rule's name) takes the rule's span and its kept children; a `c_`
    method instead takes the rule's extent and its children as `_W`s and Tokens.

    A node's span runs from the first to the last token its rule matched, keywords
    and brackets included. The first error a builder method raises is kept and raised
    after the parse, so a syntax error anywhere in the file is reported first.
    """

    def __init__(self, source: Source):
        self.source = source
        self.error: Exception | None = None

    def callbacks(self) -> dict:
        return {plan[0]: self._callback(*plan[1:]) for plan in _plans()}

    def _callback(self, name, include, nones_after, size, expand1):
        if expand1 and size == 1 and len(include) == 1 and not include[0][1] \
                and not include[0][2] and not nones_after:
            return _only          # `?rule: child`: the child, with its own extent
        plain = not nones_after and all(not e and not k for _, e, k in include)
        picks = tuple(i for i, _, _ in include)

        def kept(s):
            if plain:
                return [s[i] for i in picks]
            out = []
            for i, expand, nones in include:
                if nones:
                    out += [None] * nones
                if expand:
                    if out:
                        out += s[i].v
                    else:           # left recursion: extend the list in place
                        out = s[i].v
                else:
                    out.append(s[i])
            if nones_after:
                out += [None] * nones_after
            return out

        if name.startswith("_"):
            def inline(s):
                return _W(kept(s), _first(s), _last(s))
            return inline
        custom = getattr(self, "c_" + name, None)
        rule = getattr(self, "r_" + name, None)
        if rule is None and custom is None:
            def rule(span, *children):      # only a `?rule` of one child, never built
                raise AssertionError(f"no rule for grammar node {name}")
        source = self.source

        def finish(cs, ce, kids):
            if self.error is not None:
                return _W(None, cs, ce)
            try:
                if custom is not None:
                    return custom(cs, ce, kids)
                args = [k.v if k.__class__ is _W else k for k in kids]
                span = Span(source, cs, ce) if cs is not None else self._span(args)
                return _W(rule(span, *args), cs, ce)
            except Exception as e:          # raised after the parse, as a transformer would
                self.error = e
                return _W(None, cs, ce)

        if size == 1 and plain and picks == (0,) and not expand1 and custom is None:
            def leaf(s):                    # one kept child and nothing else: a literal
                k = s[0]
                if k.__class__ is _W:
                    return finish(k.cs, k.ce, s)
                if self.error is not None:
                    return _W(None, k.start_pos, k.end_pos)
                try:
                    return _W(rule(Span(source, k.start_pos, k.end_pos), k),
                              k.start_pos, k.end_pos)
                except Exception as e:
                    self.error = e
                    return _W(None, k.start_pos, k.end_pos)
            return leaf

        def build(s):
            kids = [s[i] for i in picks] if plain else kept(s)
            if expand1 and len(kids) == 1:
                kid = kids[0]
                if kid.__class__ is not _W:
                    return kid
                cs, ce = _first(s), _last(s)
                return _W(kid.v, kid.cs if cs is None else cs, kid.ce if ce is None else ce)
            return finish(_first(s), _last(s), kids)
        return build

    def _span(self, children) -> Span:
        for c in children:       # a rule that matched only filtered tokens
            if hasattr(c, "span"):
                return c.span
        return self.source.span(0, 0)

    def tok(self, t) -> Span:
        return self.source.span(t.start_pos, t.end_pos)

    # -- module and statements
    def r_start(self, span, *stmts):
        return S.Module(_flat(stmts), span=span)

    def r_simple_stmt(self, span, *stmts):
        return list(_strip_none(stmts))

    def r_suite(self, span, *stmts):
        return _flat(stmts)

    def r_var_decl(self, span, name, type_, value):
        return S.VarDecl(str(name), type_, value, True, span=span, name_span=self.tok(name))

    def r_var_unpack(self, span, *parts):
        *names, value = parts
        return S.VarUnpack(tuple(str(n) for n in names), tuple(self.tok(n) for n in names),
                           value, span=span)

    def r_let_decl(self, span, name, type_, value):
        return S.VarDecl(str(name), type_, value, False, span=span, name_span=self.tok(name))

    def r_annotated(self, span, name, type_, value):
        return S.VarDecl(str(name), type_, value, True, span=span, name_span=self.tok(name))

    def r_alias_def(self, span, name, ct_params, type_, value):
        return S.AliasDef(str(name), type_, value, tuple(ct_params or ()), span=span,
                          name_span=self.tok(name))

    def r_assign(self, span, *parts):
        *targets, value = parts
        if len(targets) != 1:
            raise UserError("chained assignment 'a = b = c' is not supported", span,
                            hint="assign each name in its own statement")
        target = targets[0]
        items = target.items if isinstance(target, S.TupleExpr) else (target,)
        return S.Assign(items, value, isinstance(target, S.TupleExpr) and len(items) == 1,
                        span=span)

    def r_aug_assign(self, span, target, op, value):
        return S.AugAssign(S.BinOp(str(op)[:-1]), target, value, span=span)

    def r_expr_stmt(self, span, expr):
        if isinstance(expr, S.StrLit):
            return None      # a docstring
        return S.ExprStmt(expr, span=span)

    def r_pass_stmt(self, span):
        return S.Pass(span=span)

    def r_nonlocal_stmt(self, span, *names):
        return S.Nonlocal(tuple(str(n) for n in names), span=span,
                          name_spans=tuple(self.tok(n) for n in names))

    def r_break_stmt(self, span):
        return S.Break(span=span)

    def r_continue_stmt(self, span):
        return S.Continue(span=span)

    def r_return_stmt(self, span, value):
        return S.Return(value, span=span)

    def r_raise_stmt(self, span, value):
        return S.Raise(value, span=span)

    def r_import_from(self, span, module, names):
        return S.ImportFrom(module, tuple(n for n, _ in names), span=span,
                            name_spans=tuple(s for _, s in names))

    def r_import_names(self, span, *names):
        return tuple(names)

    def r_import_as(self, span, name, asname):
        return (str(name), str(asname or name)), span

    def r_import_name(self, span, module, asname):
        return S.Import(module, str(asname) if asname else None, span=span)

    def r_dotted(self, span, *names):
        return ".".join(str(n) for n in names)

    def r_target_list(self, span, *targets):
        return tuple(t for t in targets if t is not None)

    def r_if_stmt(self, span, cond, body, elifs, orelse):
        tail = tuple(orelse) if orelse else ()
        for (c, b, s) in reversed(elifs):
            tail = (S.If(c, b, tail, True, span=s),)
        return S.If(cond, body, tail, span=span)

    def r_elifs(self, span, *elifs):
        return list(elifs)

    def r_elif_(self, span, cond, body):
        return (cond, body, span)

    def r_while_stmt(self, span, cond, body, orelse):
        return S.While(cond, body, tuple(orelse or ()), span=span)

    def r_for_stmt(self, span, targets, iter_, body, orelse):
        return S.For(targets, iter_, body, orelse=tuple(orelse or ()), span=span)

    def r_ref_for_stmt(self, span, word, target, iter_, body, orelse):
        if str(word) != "ref":
            raise UserError(f"invalid syntax: unexpected name '{target}'", self.tok(target),
                            label="expected 'in'",
                            hint=f"`for ref {target} in ...` loops over references to the "
                                 "elements; a plain loop is `for x in ...`")
        return S.For((S.Name(str(target), span=self.tok(target)),), iter_, body, ref=True,
                     orelse=tuple(orelse or ()), span=span)

    def r_try_stmt(self, span, body, exc_type, exc_name, handler, orelse, finalbody):
        # `except e:` names the error (Mojo); `except Error as e:` also works. In a
        # Python kernel, `except ValueError:` means a class: kept as the type, which
        # the checker refuses ("only `Error` can be caught").
        more = {"orelse": tuple(orelse or ()), "finalbody": tuple(finalbody or ())}
        if exc_type is not None and exc_name is None and isinstance(exc_type, S.Name) \
                and exc_type.id != "Error" and not (self.source.python and
                                                    _python_exception(exc_type.id)):
            return S.Try(body, None, exc_type.id, handler, **more, span=span)
        return S.Try(body, exc_type, str(exc_name) if exc_name else None, handler, **more,
                     span=span)

    def r_try_finally(self, span, body, finalbody):
        return S.Try(body, None, None, None, finalbody=finalbody, span=span)

    def r_decorated(self, span, *parts):
        *decos, definition = parts
        if isinstance(definition, (S.If, S.For)):  # `@parameter if` (with its elifs), `for`
            what = "an `if`" if isinstance(definition, S.If) else "a `for`"
            if len(decos) != 1 or decos[0].name != "parameter" or decos[0].args:
                raise UserError(f"only `@parameter` can decorate {what}", decos[0].span,
                                hint="`@parameter if` chooses a branch at compile time; "
                                     "`@parameter for` unrolls a loop over a constant range")
            return self.r_comptime_stmt(span, definition)
        return type(definition)(**{**_fields(definition), "decorators": tuple(decos)},
                                span=span, name_span=definition.name_span)

    def r_comptime_stmt(self, span, definition):
        # `comptime if` / `comptime for` (current Mojo) mean `@parameter if` / `for`.
        if isinstance(definition, S.For):
            return S.For(definition.targets, definition.iter, definition.body, True,
                         definition.ref, definition.orelse, span=span)
        return _compile_time(definition, span)

    def r_decorator(self, span, name, args):
        # Keyword arguments stay `Keyword` nodes among the arguments, in source order.
        return S.Decorator(name, tuple(args or ()), span=span)

    def r_fn_def(self, span, name, ct_params, params, raises, ret, body):
        ct_params, params = _some_parameters(tuple(ct_params or ()), tuple(params or ()))
        return S.FnDef(str(name), ct_params, params, ret,
                       raises is not None, body, (), span=span, name_span=self.tok(name),
                       is_def=self.source.text.startswith("def", span.start))

    def r_raises(self, span):
        return True

    def r_ct_params(self, span, *params):
        # Mojo's `//`: the parameters before it are infer-only (once, not first)
        marks = [i for i, p in enumerate(params) if isinstance(p, Span)]
        if len(marks) > 1 or marks and marks[0] == 0:
            bad = marks[1] if len(marks) > 1 else marks[0]
            raise UserError("`//` must follow the infer-only parameters, once", params[bad],
                            hint="write `[dtype: DType, //, n: Int]`: the parameters "
                                 "before `//` are inferred from the arguments")
        if not marks:
            return tuple(params)
        k = marks[0]
        return tuple(dataclasses.replace(p, infer_only=True, span=p.span)
                     for p in params[:k]) + params[k + 1:]

    def r_infer_only_mark(self, span):
        return span

    def r_ct_param(self, span, name, type_, default):
        return S.CtParam(str(name), type_, default, span=span)

    def r_params(self, span, *params):
        """The parameters, those after a bare `*` (or a variadic `*vals: T`) marked
        keyword-only."""
        params = _positional_only(params)
        out, star = [], None
        for p in params:
            if isinstance(p, Span) or p.variadic:       # the `*`, `*vals`
                if star is not None:
                    raise UserError("only one `*` may appear among the parameters",
                                    p if isinstance(p, Span) else p.span)
                star = p if isinstance(p, Span) else p.span
                if not isinstance(p, Span):
                    out.append(p)
            else:
                out.append(dataclasses.replace(p, keyword_only=True, span=p.span)
                           if star is not None else p)
        if star is not None and (not out or not out[-1].keyword_only) and \
                not any(p.variadic for p in out):
            raise UserError("a bare `*` must be followed by keyword-only parameters", star)
        return tuple(out)

    def r_star_param(self, span):
        return span

    def r_slash_param(self, span):
        return _Slash(span)

    def r_variadic_param(self, span, name, type_):
        return S.Param(str(name), type_, None, S.Convention.READ, span=span, variadic=True)

    def r_conv_variadic_param(self, span, conv, name, type_):
        """`read *vals: Int` is `*vals: Int`; the variadic's values are copies gathered
        in a List, so no other convention can be kept."""
        c = S.CONVENTION_SPELLINGS.get(str(conv))
        if c is S.Convention.READ:
            return self.r_variadic_param(span, name, type_)
        if c is None:
            raise UserError(f"unknown argument convention '{conv}'", self.tok(conv),
                            hint="a variadic parameter is `*vals: T` (or `read *vals: T`)")
        plain = f"*{name}" + ("" if type_ is None else f": {type_.span.text}")
        article = "an" if str(conv)[0] in "aeiou" else "a"
        raise UserError(f"{article} `{conv}` variadic parameter is not supported", self.tok(conv),
                        label="the values of `*args` are copies here, read-only",
                        hint=f"to change the caller's variables take them one by one "
                             f"(`mut a: T, mut b: T`) or as a `mut l: List[T]`; else write "
                             f"`{plain}`" if c is S.Convention.MUT else
                        f"write `{plain}` and copy an element into a `var` to change it")

    def r_param(self, span, name, type_, default):
        return S.Param(str(name), type_, default, S.Convention.READ, span=span)

    def r_conv_param(self, span, conv, name, type_, default):
        if str(conv) not in S.CONVENTION_SPELLINGS:
            raise UserError(f"unknown argument convention '{conv}'", self.tok(conv),
                            hint="use one of: read, mut, var, ref, out (or borrowed, inout, owned)")
        return S.Param(str(name), type_, default, S.CONVENTION_SPELLINGS[str(conv)], span=span)

    def r_var_param(self, span, name, type_, default):
        return S.Param(str(name), type_, default, S.CONVENTION_SPELLINGS["var"], span=span)

    def r_struct_def(self, span, name, ct_params, traits, body):
        return S.StructDef(str(name), tuple(ct_params or ()), tuple(traits or ()), body, (),
                           span=span, name_span=self.tok(name))

    def r_trait_def(self, span, name, traits, body):
        return S.TraitDef(str(name), tuple(traits or ()), body, span=span,
                          name_span=self.tok(name))

    def r_traits(self, span, *names):
        return tuple(names)

    def r_fn_type(self, span, ct_params, params, effects, ret):
        return S.FnTypeExpr(tuple(params or ()), ret, True in effects, span=span,
                            capturing="capturing" in effects, ct_params=tuple(ct_params or ()))

    def r_fn_effects(self, span, *effects):
        return list(effects)        # True for `raises`, "capturing", "escaping"

    def r_capturing(self, span, origins):
        return "capturing"

    def r_origins(self, span, args):
        return None

    def r_escaping(self, span):
        return "escaping"

    def r_type_list(self, span, *types):
        return tuple(types)

    # -- expressions
    def _op(self, span, tok):
        return str(tok)

    r_aug_op = _op

    def r_tuple_expr(self, span, *items):
        return S.TupleExpr(_strip_none(items), span=span)

    def r_one_tuple(self, span, item):
        return S.TupleExpr((item,), span=span)

    def r_empty_tuple(self, span):
        return S.TupleExpr((), span=span)

    def r_paren(self, span, inner):
        return inner

    def r_if_exp(self, span, then, cond, orelse):
        return S.IfExp(cond, then, orelse, span=span)

    # The flat operator rule: `kids` is a run of operands (_W), each after its prefix
    # operators, with a binary operator (a Token) between two operands. Each node spans
    # as the nested rules of Python's grammar (test → or_test → and_test → ...) would.
    def c_or_test(self, cs, ce, kids):
        groups, bool_ops = [], []      # one group per operand of `or`/`and`
        nots, prefix, items, ops = [], [], [], []
        for k in kids:
            if k.__class__ is _W:
                items.append((prefix, k))
                prefix = []
            elif k == "in" and ops and ops[-1] == "not" and len(ops) == len(items):
                ops[-1] = "not in"
            elif len(items) > len(ops):                  # after an operand: binary
                if k == "or" or k == "and":
                    groups.append(self._not_test(nots, items, ops))
                    bool_ops.append(str(k))
                    nots, items, ops = [], [], []
                else:
                    ops.append(str(k))
            elif k == "not":
                nots.append(k)
            else:
                prefix.append(k)
        groups.append(self._not_test(nots, items, ops))
        ands = [[groups[0]]]
        for op, group in zip(bool_ops, groups[1:]):
            if op == "or":
                ands.append([group])
            else:
                ands[-1].append(group)
        return _logic_fold(S.LogicOp.OR, [_logic_fold(S.LogicOp.AND, g) for g in ands])

    def _not_test(self, nots, items, ops) -> _W:
        w = self._comparison(items, ops)
        for t in reversed(nots):
            w = _W(S.Unary(S.UnOp.NOT, w.v, span=Span(self.source, t.start_pos, w.ce)),
                   t.start_pos, w.ce)
        return w

    def _comparison(self, items, ops) -> _W:
        """`items` are (prefix tokens, operand); `ops` the binary operators between."""
        factors, rest, i = [], [], 0
        while i < len(items):       # each run `a ** b ** c` becomes one factor
            j = i
            while j < len(ops) and ops[j] == "**":
                j += 1
            factors.append(self._factor(items, i, j))
            if j < len(ops):
                rest.append(ops[j])
            i = j + 1
        items, ops = factors, rest
        for level in range(6, 0, -1):
            if not any(_LEVEL[o] == level for o in ops):
                continue
            merged, rest = [items[0]], []
            for op, rhs in zip(ops, items[1:]):
                if _LEVEL[op] == level:
                    lhs = merged[-1]
                    node = S.Binary(S.BinOp(op), lhs.v, rhs.v,
                                    span=Span(self.source, lhs.cs, rhs.ce))
                    merged[-1] = _W(node, lhs.cs, rhs.ce)
                else:
                    merged.append(rhs)
                    rest.append(op)
            items, ops = merged, rest
        if not ops:
            return items[0]
        span = Span(self.source, items[0].cs, items[-1].ce)
        if "in" in ops or "not in" in ops:
            if len(ops) > 1:
                raise UserError("`in` cannot be chained with another comparison", span,
                                hint="put the `in` test in parentheses")
            node = S.Contains(items[0].v, items[1].v, ops[0] == "not in", span=span)
            return _W(node, span.start, span.end)
        node = S.Compare(tuple(w.v for w in items), tuple(S.CmpOp(o) for o in ops), span=span)
        return _W(node, span.start, span.end)

    def _factor(self, items, j, last) -> _W:
        """items[j] ** ... ** items[last]: `**` binds right, and each operand's unary
        prefix applies to the power on its right (`-a ** b` is `-(a ** b)`)."""
        rhs = None
        for k in range(last, j - 1, -1):
            prefix, w = items[k]
            if rhs is not None:
                w = _W(S.Binary(S.BinOp.POW, w.v, rhs.v, span=Span(self.source, w.cs, rhs.ce)),
                       w.cs, rhs.ce)
            for t in reversed(prefix):
                w = _W(S.Unary(S.UnOp(str(t)), w.v, span=Span(self.source, t.start_pos, w.ce)),
                       t.start_pos, w.ce)
            rhs = w
        return rhs

    def r_call(self, span, func, args):
        pos, kw = _split_args(args)
        keyword = next((a for a in args or () if isinstance(a, S.Keyword)), None)
        if keyword is not None and args.index(keyword) < len(pos):     # as Python and Mojo
            late = args[args.index(keyword) + 1:]
            raise UserError("positional argument follows keyword argument",
                            next(a for a in late if not isinstance(a, S.Keyword)).span,
                            hint="pass the positional arguments first")
        return S.Call(func, pos, kw, span=span)

    def r_subscript(self, span, value, args):
        pos, kw = _split_args(args)
        return S.Subscript(value, pos, kw, span=span)

    def r_attribute(self, span, value, name):
        return S.Attribute(value, str(name), span=span, name_span=self.tok(name))

    def r_arguments(self, span, *args):
        return list(_strip_none(args))

    r_subscripts = r_arguments

    def r_slice(self, span, start, stop, step):
        return S.Slice(start, stop, step, span=span)

    def r_transfer(self, span, value):
        return S.Transfer(value, span=span)

    def r_keyword(self, span, name, value):
        return S.Keyword(str(name), value, span=span)

    def r_list_expr(self, span, args):
        return S.ListExpr(tuple(args or ()), span=span)

    def r_name(self, span, tok):
        return S.Name(str(tok), span=span)

    def r_int_lit(self, span, tok):
        # Literal arithmetic stops at 2 ** 4096 (`fold_literals`); a longer literal is refused
        # by its length first, as Python will not convert more than 4300 decimal digits.
        digits = str(tok).replace("_", "")
        if len(digits) > 1240 or abs(value := int(digits, 0)) > 1 << 4096:
            raise UserError("integer literal is too large", span,
                            label="literals and their arithmetic stop at 2**4096")
        return S.IntLit(value, span=span)

    def r_float_lit(self, span, tok):
        return S.FloatLit(float(str(tok).replace("_", "")), span=span)

    def r_str_lit(self, span, *toks):
        return S.StrLit("".join(_unescape(self.source, t) for t in toks), span=span)

    def r_true_lit(self, span):
        return S.BoolLit(True, span=span)

    def r_false_lit(self, span):
        return S.BoolLit(False, span=span)

    def r_none_lit(self, span):
        return S.NoneLit(span=span)

    def r_ellipsis(self, span):
        return S.EllipsisLit(span=span)


def _only(s):
    return s[0]


def _fields(node) -> dict:
    import dataclasses
    return {f.name: getattr(node, f.name) for f in dataclasses.fields(node)
            if f.name not in ("span", "name_span")}


def _flat(items) -> tuple:
    out = []
    for x in items:
        if isinstance(x, (list, tuple)):
            out.extend(y for y in x if y is not None)
        elif x is not None:
            out.append(x)
    return tuple(out)


def _logic_fold(op, operands):
    node = operands[0].v
    for rhs in operands[1:]:
        node = S.Logic(op, node, rhs.v, span=node.span.to(rhs.v.span))
    return _W(node, operands[0].cs, operands[-1].ce) if len(operands) > 1 else operands[0]


# Binding of the binary operators, tightest highest; 0 are the comparisons.
_LEVEL = {"*": 6, "/": 6, "//": 6, "%": 6, "@": 6, "+": 5, "-": 5, "<<": 4, ">>": 4,
          "&": 3, "^": 2, "|": 1, "<": 0, ">": 0, "==": 0, ">=": 0, "<=": 0, "!=": 0,
          "in": 0, "not in": 0}


def _split_args(args):
    args = args or []
    pos = tuple(a for a in args if not isinstance(a, S.Keyword))
    kw = tuple(a for a in args if isinstance(a, S.Keyword))
    return pos, kw
