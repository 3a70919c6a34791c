"""A reader for the subset of YAML that Azure ML's job, component, environment, endpoint and deployment files use.

Standard library only (the package has no dependencies), so it reads: block mappings and sequences (a sequence
may sit at its key's indentation, as Azure's examples write it), plain, single- and double-quoted scalars,
``|`` and ``>`` block scalars with ``-``/``+`` chomping, ``#`` comments, flow collections ``[a, b]`` and
``{a: b}`` (nested, and spanning lines), ``---`` at the start, and JSON. Plain scalars resolve as YAML 1.2's core
schema does: ``null``/``~``, ``true``/``false``, integers, floats, else strings. Anchors, aliases, tags, complex
keys and several documents in one file are refused with :class:`ValidationException` naming the line, never
read wrongly.

Why not send the text to the server: the server does take ``application/yaml``, but a job's local ``code`` folder
and input paths must be found and uploaded first, so the client must read the document either way.
"""
import re

from .exceptions import ValidationException

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "\\": "\\", "/": "/", " ": " ", "a": "\a", "b": "\b",
            "e": "\x1b", "f": "\f", "v": "\v", "N": "\x85", "_": "\xa0"}


def loads(text):
    """Parses one YAML document; an empty document is ``None``."""
    return _Parser(text).document()


def load_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as e:
        raise ValidationException("Cannot read %s: %s" % (path, e.strerror or e))
    try:
        return loads(text)
    except ValidationException as e:
        raise ValidationException("%s: %s" % (path, e.message))


def resolve_plain(text):
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    if text in (".inf", "+.inf", ".Inf"):
        return float("inf")
    if text in ("-.inf", "-.Inf"):
        return float("-inf")
    if text in (".nan", ".NaN"):
        return float("nan")
    return text


def _strip_comment(text):
    """The text before a ``#`` comment (a ``#`` at the start or after a space, outside quotes)."""
    quote = None
    for i, c in enumerate(text):
        if quote:
            if c == quote:
                if quote == "'" and i + 1 < len(text) and text[i + 1] == "'":
                    continue
                if quote == '"' and _escaped(text, i):
                    continue
                quote = None
        elif c in "'\"" and (i == 0 or text[i - 1] in " \t[{,:-"):
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def _escaped(text, i):
    backslashes = 0
    while i - 1 - backslashes >= 0 and text[i - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _indent(line):
    return len(line) - len(line.lstrip(" "))


class _Parser:
    def __init__(self, text):
        if text.startswith("\ufeff"):
            text = text[1:]
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.i = 0

    def fail(self, message, line=None):
        raise ValidationException("Invalid YAML at line %d: %s" % ((self.i if line is None else line) + 1, message))

    def skip_blank(self):
        while self.i < len(self.lines):
            stripped = self.lines[self.i].strip()
            if stripped and not stripped.startswith("#"):
                if "\t" in self.lines[self.i][:len(self.lines[self.i]) - len(self.lines[self.i].lstrip())]:
                    self.fail("tabs may not indent YAML")
                return True
            self.i += 1
        return False

    def document(self):
        if not self.skip_blank():
            return None
        if self.lines[self.i].strip() in ("---", "--- "):
            self.i += 1
            if not self.skip_blank():
                return None
        line = self.lines[self.i]
        if line.lstrip().startswith(("{", "[")) and _indent(line) == 0 and not self._is_key(line.strip()):
            value = self.flow_from(0, line.strip())
        else:
            value = self.block(_indent(line))
        if self.skip_blank():
            text = self.lines[self.i].strip()
            if text in ("---", "..."):
                self.i += 1
                if self.skip_blank():
                    self.fail("only one YAML document per file is read")
            else:
                self.fail("unexpected text '%s' (check the indentation)" % text)
        return value

    def block(self, indent):
        """The mapping or sequence whose first line (the current one) is at ``indent``."""
        text = self.lines[self.i][indent:]
        if text == "-" or text.startswith("- "):
            return self.sequence(indent)
        return self.mapping(indent)

    def sequence(self, indent):
        items = []
        while self.skip_blank():
            line = self.lines[self.i]
            current = _indent(line)
            if current < indent or line.rstrip() in ("---", "..."):
                break
            if current > indent:
                self.fail("bad indentation of a sequence item")
            text = line[indent:]
            if not (text == "-" or text.startswith("- ")):
                break
            rest = text[1:].lstrip(" ")
            if not rest or rest.startswith("#"):
                self.i += 1
                items.append(self.nested(indent, allow_same_indent_sequence=False))
                continue
            column = indent + 1 + (len(text) - 1 - len(rest))
            if rest.startswith(("- ",)) or rest == "-" or self._is_key(_strip_comment(rest)):
                self.lines[self.i] = " " * column + rest
                items.append(self.block(column))
            else:
                items.append(self.inline_value(rest, indent))
        return items

    def mapping(self, indent):
        result = {}
        while self.skip_blank():
            line = self.lines[self.i]
            current = _indent(line)
            if current < indent or line.rstrip() in ("---", "..."):
                break
            if current > indent:
                self.fail("bad indentation of a mapping entry")
            text = line[indent:]
            if text.startswith("- ") or text == "-":
                break
            split = self._split_key(_strip_comment(text))
            if split is None:
                self.fail("expected 'key: value', got '%s'" % text.strip())
            key, rest = split
            if key in result:
                self.fail("duplicate key '%s'" % key)
            rest = rest.strip()
            if not rest:
                self.i += 1
                result[key] = self.nested(indent, allow_same_indent_sequence=True)
            else:
                result[key] = self.inline_value(self._raw_after_key(text), indent)
        return result

    def _raw_after_key(self, text):
        """The text after a key's colon, comments included (block scalar headers and quoted values need it)."""
        stripped = text.lstrip()
        if stripped[0] in "'\"":
            end = self._quoted_end(stripped, 0)
            return stripped[end + 1:].lstrip()[1:].lstrip()
        position = stripped.find(": ")
        if position < 0:
            position = len(stripped) - 1
        return stripped[position + 1:].lstrip()

    def nested(self, indent, allow_same_indent_sequence):
        """The value of a key or item whose text was empty: the deeper block below, else null."""
        if not self.skip_blank():
            return None
        line = self.lines[self.i]
        current = _indent(line)
        text = line[current:]
        if current > indent:
            if text.startswith(("{", "[")) and not self._is_key(_strip_comment(text)):
                return self.flow_from(current, text)
            if not (text == "-" or text.startswith("- ")) and self._split_key(_strip_comment(text)) is None:
                return self.plain_multiline(current)
            return self.block(current)
        if current == indent and allow_same_indent_sequence and (text == "-" or text.startswith("- ")):
            return self.sequence(indent)
        return None

    def plain_multiline(self, indent):
        """A plain or quoted scalar written on the lines below its key."""
        text = _strip_comment(self.lines[self.i].strip())
        if text.startswith(("'", '"')):
            return self.inline_value(self.lines[self.i].strip(), indent - 1)
        parts = [text]
        self.i += 1
        while self.i < len(self.lines) and self.lines[self.i].strip() and _indent(self.lines[self.i]) >= indent \
                and not self.lines[self.i].strip().startswith("#"):
            parts.append(_strip_comment(self.lines[self.i].strip()))
            self.i += 1
        return resolve_plain(" ".join(parts))

    def inline_value(self, raw, indent):
        """The value written after ``key:`` or ``- `` on the current line (a block scalar reads the lines below)."""
        raw = raw.strip()
        if raw.startswith(("|", ">")):
            return self.block_scalar(_strip_comment(raw), indent)
        if raw.startswith(("&", "*", "!")):
            self.fail("anchors, aliases and tags are not supported")
        if raw.startswith(("'", '"')):
            end = self._quoted_end(raw, 0)
            if end < 0:
                self.fail("a quoted string that does not end on its line")
            value = self._unquote(raw[:end + 1])
            trailing = _strip_comment(raw[end + 1:]).strip()
            if trailing:
                self.fail("unexpected text after a quoted string: '%s'" % trailing)
            self.i += 1
            return value
        text = _strip_comment(raw)
        if text.startswith(("[", "{")):
            return self.flow_from(None, text)
        self.i += 1
        # A plain scalar may go on over more-indented lines.
        parts = [text]
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if not line.strip() or _indent(line) <= indent or line.strip().startswith("#"):
                break
            follow = _strip_comment(line.strip())
            if self._split_key(follow) is not None or follow.startswith("- "):
                break
            parts.append(follow)
            self.i += 1
        return resolve_plain(" ".join(parts))

    def block_scalar(self, header, indent):
        match = re.match(r"^([|>])([-+]?)([1-9]?)([-+]?)$", header)
        if not match:
            self.fail("a malformed block scalar header '%s'" % header)
        style, chomp, explicit = match.group(1), match.group(2) or match.group(4), match.group(3)
        self.i += 1
        lines = []
        block_indent = indent + int(explicit) if explicit else None
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.strip():
                current = _indent(line)
                if block_indent is None:
                    if current <= indent:
                        break
                    block_indent = current
                if current < block_indent:
                    break
                lines.append(line[block_indent:])
            else:
                lines.append(line[block_indent:] if block_indent is not None and len(line) > block_indent else "")
            self.i += 1
        while lines and not lines[-1].strip() and chomp != "+":
            lines.pop()
        trailing_blank = 0
        if chomp == "+":
            while lines and not lines[-1].strip():
                lines.pop()
                trailing_blank += 1
        if style == "|":
            body = "\n".join(lines)
        else:
            body = ""
            previous = None
            for line in lines:
                if previous is None:
                    body = line
                elif not line:
                    body += "\n"
                elif line.startswith((" ", "\t")) or previous.startswith((" ", "\t")) or not previous:
                    body += ("\n" if previous and not body.endswith("\n") else "") + line
                else:
                    body += " " + line
                previous = line
        if not lines:
            return ""
        if chomp == "-":
            return body
        if chomp == "+":
            return body + "\n" + "\n" * trailing_blank
        return body + "\n"

    # flow collections ---------------------------------------------------------------------------------------
    def flow_from(self, indent, text):
        """A flow collection starting on the current line, read over as many lines as its brackets need."""
        start = self.i
        collected = _strip_comment(text)
        self.i += 1
        while self._depth(collected) > 0:
            if self.i >= len(self.lines):
                self.fail("a '%s' that is never closed" % collected[0], start)
            collected += " " + _strip_comment(self.lines[self.i].strip())
            self.i += 1
        reader = _FlowReader(collected, lambda message: self.fail(message, start))
        value = reader.value()
        reader.skip_space()
        if reader.position != len(collected):
            self.fail("unexpected text after a flow collection: '%s'" % collected[reader.position:], start)
        return value

    @staticmethod
    def _depth(text):
        depth, quote = 0, None
        for i, c in enumerate(text):
            if quote:
                if c == quote and not (quote == '"' and _escaped(text, i)):
                    quote = None
            elif c in "'\"" and (i == 0 or text[i - 1] in " [{,:"):
                quote = c
            elif c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
        return depth

    # keys and quoted strings ----------------------------------------------------------------------------------
    def _is_key(self, text):
        return self._split_key(text) is not None

    def _split_key(self, text):
        """``(key, rest)`` when ``text`` is ``key: rest`` or ``key:``, else ``None``."""
        if not text:
            return None
        if text[0] in "'\"":
            end = self._quoted_end(text, 0)
            if end < 0:
                return None
            after = text[end + 1:].lstrip()
            if after == ":" or after.startswith(": "):
                return self._unquote(text[:end + 1]), after[1:]
            return None
        if text[0] in "[{&*!|>":
            return None
        if text.startswith("? "):
            self.fail("complex keys are not supported")
        position = text.find(": ")
        if position < 0 and text.endswith(":"):
            position = len(text) - 1
        if position <= 0:
            return None
        key = text[:position].rstrip()
        return (key, text[position + 1:])

    @staticmethod
    def _quoted_end(text, start):
        quote = text[start]
        i = start + 1
        while i < len(text):
            if text[i] == quote:
                if quote == "'" and i + 1 < len(text) and text[i + 1] == "'":
                    i += 2
                    continue
                if quote == '"' and _escaped(text, i):
                    i += 1
                    continue
                return i
            i += 1
        return -1

    def _unquote(self, text):
        return unquote(text, self.fail)


def unquote(text, fail):
    body = text[1:-1]
    if text[0] == "'":
        return body.replace("''", "'")
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body):
            fail("a backslash at the end of a double-quoted string")
        code = body[i + 1]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            i += 2
        elif code in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[code]
            digits = body[i + 2:i + 2 + width]
            try:
                out.append(chr(int(digits, 16)))
            except ValueError:
                fail("a bad escape '\\%s%s'" % (code, digits))
            i += 2 + width
        else:
            fail("an unknown escape '\\%s'" % code)
    return "".join(out)


class _FlowReader:
    """``[a, b]`` and ``{a: b}``, nested; plain scalars end at ``,``, ``]`` and ``}``."""

    def __init__(self, text, fail):
        self.text = text
        self.position = 0
        self.fail = fail

    def skip_space(self):
        while self.position < len(self.text) and self.text[self.position] in " \t":
            self.position += 1

    def peek(self):
        self.skip_space()
        return self.text[self.position] if self.position < len(self.text) else ""

    def value(self, key=False):
        c = self.peek()
        if c == "[":
            return self.sequence()
        if c == "{":
            return self.mapping()
        if c in "'\"":
            end = _Parser._quoted_end(self.text, self.position)
            if end < 0:
                self.fail("a quoted string that does not end")
            raw = self.text[self.position:end + 1]
            self.position = end + 1
            return unquote(raw, self.fail)
        if c in "&*!":
            self.fail("anchors, aliases and tags are not supported")
        start = self.position
        while self.position < len(self.text):
            ch = self.text[self.position]
            if ch in ",]}":
                break
            if key and ch == ":" and (self.position + 1 == len(self.text) or self.text[self.position + 1] in " ,]}"):
                break
            self.position += 1
        return resolve_plain(self.text[start:self.position].strip())

    def sequence(self):
        self.position += 1
        items = []
        while True:
            c = self.peek()
            if c == "]":
                self.position += 1
                return items
            if not c:
                self.fail("a '[' that is never closed")
            items.append(self.value())
            c = self.peek()
            if c == ",":
                self.position += 1
            elif c != "]":
                self.fail("expected ',' or ']' in a flow sequence")

    def mapping(self):
        self.position += 1
        result = {}
        while True:
            c = self.peek()
            if c == "}":
                self.position += 1
                return result
            if not c:
                self.fail("a '{' that is never closed")
            key = self.value(key=True)
            if self.peek() == ":":
                self.position += 1
                if self.peek() in (",", "}"):
                    value = None
                else:
                    value = self.value()
            else:
                value = None
            if isinstance(key, (dict, list)):
                self.fail("complex keys are not supported")
            result[str(key) if not isinstance(key, str) else key] = value
            c = self.peek()
            if c == ",":
                self.position += 1
            elif c != "}":
                self.fail("expected ',' or '}' in a flow mapping")
