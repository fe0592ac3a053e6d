/**
 * A reader for the subset of Python that OK-format test files are written in:
 * literal values (str, int, float, True/False/None, list, tuple, dict) and
 * simple `NAME = literal` assignments. It never evaluates anything: a name, a
 * call or an operator that is not part of a literal is an error, which is how
 * an upload containing `__import__('os')` is refused before any Python sees it.
 */

export type PyNode = { line: number } & (
  | { kind: "str"; value: string }
  | { kind: "int" | "float"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "list" | "tuple"; items: PyNode[] }
  | { kind: "dict"; entries: { key: PyNode; value: PyNode }[] }
);

export interface PyAssignment {
  name: string;
  line: number;
  value: PyNode;
}

/** Thrown with a line number; the caller prefixes the file name. */
export class LiteralSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

type Token =
  | { t: "str"; value: string; line: number }
  | { t: "num"; value: number; isInt: boolean; line: number }
  | { t: "name"; value: string; line: number }
  | { t: "op"; value: string; line: number }
  | { t: "newline"; line: number }
  | { t: "end"; line: number };

// Deep enough for any real test file, shallow enough that a hostile one
// cannot exhaust the stack of the portal process reading it.
const maxNesting = 64;

const simpleEscapes: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function describeToken(token: Token): string {
  switch (token.t) {
    case "str":
      return "a string";
    case "num":
      return `the number ${token.value}`;
    case "name":
      return `'${token.value}'`;
    case "op":
      return `'${token.value}'`;
    case "newline":
      return "the end of the line";
    case "end":
      return "the end of the file";
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  // Inside brackets a newline is not the end of a statement (Python's rule).
  let depth = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === "\n") {
      if (depth === 0) tokens.push({ t: "newline", line });
      line += 1;
      i += 1;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f") {
      i += 1;
      continue;
    }
    if (c === "#") {
      while (i < n && source[i] !== "\n") i += 1;
      continue;
    }
    if (c === "\\" && source[i + 1] === "\n") {
      i += 2;
      line += 1;
      continue;
    }
    const prefixMatch = /^([rRuUbBfF]{0,2})(['"])/.exec(source.slice(i, i + 3));
    if (prefixMatch && (prefixMatch[1] === "" || /^[A-Za-z]/.test(c))) {
      const prefix = prefixMatch[1]!.toLowerCase();
      if (prefix.includes("f")) {
        throw new LiteralSyntaxError(line, "f-strings are not allowed; write a plain string");
      }
      if (prefix.includes("b")) {
        throw new LiteralSyntaxError(
          line,
          "byte strings (b'...') are not allowed; write a plain string",
        );
      }
      if (prefix === "ur" || prefix === "ru" || prefix === "uu" || prefix === "rr") {
        throw new LiteralSyntaxError(line, `'${prefixMatch[1]}' is not a valid string prefix`);
      }
      const raw = prefix.includes("r");
      i += prefix.length;
      const startLine = line;
      const quote = source[i]!;
      const triple = source.startsWith(quote.repeat(3), i);
      const delimiter = triple ? quote.repeat(3) : quote;
      i += delimiter.length;
      let value = "";
      for (;;) {
        if (i >= n) {
          throw new LiteralSyntaxError(
            startLine,
            `this ${triple ? "triple-quoted " : ""}string is never closed (missing ${delimiter})`,
          );
        }
        if (source.startsWith(delimiter, i)) {
          i += delimiter.length;
          break;
        }
        const ch = source[i]!;
        if (ch === "\n") {
          if (!triple) {
            throw new LiteralSyntaxError(
              startLine,
              `this string is never closed (missing ${quote} before the end of the line)`,
            );
          }
          line += 1;
          value += ch;
          i += 1;
          continue;
        }
        if (ch !== "\\") {
          value += ch;
          i += 1;
          continue;
        }
        // A backslash: in a raw string it stays, but still keeps the next
        // character from closing the string (Python's rule).
        const next = source[i + 1];
        if (next === undefined) {
          throw new LiteralSyntaxError(startLine, "this string is never closed");
        }
        if (raw) {
          value += ch + next;
          if (next === "\n") line += 1;
          i += 2;
          continue;
        }
        if (next === "\n") {
          line += 1;
          i += 2;
          continue;
        }
        const simple = simpleEscapes[next];
        if (simple !== undefined) {
          value += simple;
          i += 2;
          continue;
        }
        if (/[0-7]/.test(next)) {
          const octal = /^[0-7]{1,3}/.exec(source.slice(i + 1, i + 4))![0];
          value += String.fromCharCode(parseInt(octal, 8));
          i += 1 + octal.length;
          continue;
        }
        const hexLength = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
        if (hexLength > 0) {
          const hex = source.slice(i + 2, i + 2 + hexLength);
          if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) {
            throw new LiteralSyntaxError(
              line,
              `'\\${next}' must be followed by ${hexLength} hexadecimal digits`,
            );
          }
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) {
            throw new LiteralSyntaxError(line, `'\\${next}${hex}' is not a valid character`);
          }
          value += String.fromCodePoint(code);
          i += 2 + hexLength;
          continue;
        }
        if (next === "N") {
          throw new LiteralSyntaxError(
            line,
            "named escapes (\\N{...}) are not supported; write the character itself",
          );
        }
        // Unknown escapes keep their backslash, as Python does.
        value += ch + next;
        i += 2;
      }
      tokens.push({ t: "str", value, line: startLine });
      continue;
    }
    const numberMatch =
      /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)/.exec(
        source.slice(i, i + 400),
      );
    if (numberMatch && /[\d.]/.test(c)) {
      const text = numberMatch[0];
      if (/[jJ]$/.test(text)) {
        throw new LiteralSyntaxError(line, "complex numbers are not allowed");
      }
      const clean = text.replace(/_/g, "");
      let value: number;
      let isInt: boolean;
      if (/^0[xXoObB]/.test(clean)) {
        value = Number(clean.toLowerCase());
        isInt = true;
      } else {
        isInt = /^\d+$/.test(clean);
        if (isInt && clean.length > 1 && clean.startsWith("0") && /[1-9]/.test(clean)) {
          throw new LiteralSyntaxError(
            line,
            `'${text}': leading zeros are not allowed in Python numbers`,
          );
        }
        value = Number(clean);
      }
      if (!Number.isFinite(value)) {
        throw new LiteralSyntaxError(line, `'${text}' is not a number this reader accepts`);
      }
      tokens.push({ t: "num", value, isInt, line });
      i += text.length;
      continue;
    }
    const nameMatch = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(source.slice(i, i + 200));
    if (nameMatch) {
      tokens.push({ t: "name", value: nameMatch[0], line });
      i += nameMatch[0].length;
      continue;
    }
    if ("{[(".includes(c)) depth += 1;
    if ("}])".includes(c)) depth = Math.max(0, depth - 1);
    if ("{}[](),:=-+.;".includes(c)) {
      tokens.push({ t: "op", value: c, line });
      i += 1;
      continue;
    }
    throw new LiteralSyntaxError(line, `unexpected character '${c}'`);
  }
  tokens.push({ t: "newline", line });
  tokens.push({ t: "end", line });
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.position < this.tokens.length - 1) this.position += 1;
    return token;
  }

  private isOp(token: Token, value: string): boolean {
    return token.t === "op" && token.value === value;
  }

  private expectOp(value: string, what: string): void {
    const token = this.next();
    if (!this.isOp(token, value)) {
      throw new LiteralSyntaxError(
        token.line,
        `expected '${value}' ${what}, found ${describeToken(token)}`,
      );
    }
  }

  statements(): PyAssignment[] {
    const result: PyAssignment[] = [];
    for (;;) {
      const token = this.peek();
      if (token.t === "end") return result;
      if (token.t === "newline" || this.isOp(token, ";")) {
        this.next();
        continue;
      }
      if (token.t !== "name" || !this.isOp(this.peek(1), "=")) {
        if (token.t === "name" && (token.value === "import" || token.value === "from")) {
          throw new LiteralSyntaxError(token.line, "imports are not allowed in a test file");
        }
        throw new LiteralSyntaxError(
          token.line,
          `only 'OK_FORMAT = True' and 'test = {...}' are allowed in a test file, found ${describeToken(token)}`,
        );
      }
      this.next();
      this.next();
      const value = this.value(0);
      const end = this.peek();
      if (end.t !== "newline" && !this.isOp(end, ";")) {
        throw new LiteralSyntaxError(
          end.line,
          `expected the end of the line after the value of '${token.value}', found ${describeToken(end)}`,
        );
      }
      result.push({ name: token.value, line: token.line, value });
    }
  }

  value(depth: number): PyNode {
    if (depth > maxNesting) {
      throw new LiteralSyntaxError(
        this.peek().line,
        `values are nested more than ${maxNesting} levels deep`,
      );
    }
    const token = this.next();
    const line = token.line;
    switch (token.t) {
      case "str": {
        // Adjacent strings are one string (implicit concatenation).
        let value = token.value;
        while (this.peek().t === "str") value += (this.next() as { value: string }).value;
        return { kind: "str", value, line };
      }
      case "num":
        return { kind: token.isInt ? "int" : "float", value: token.value, line };
      case "name": {
        if (token.value === "True" || token.value === "False") {
          return { kind: "bool", value: token.value === "True", line };
        }
        if (token.value === "None") return { kind: "none", line };
        if (this.isOp(this.peek(), "(")) {
          throw new LiteralSyntaxError(
            line,
            `a call to ${token.value}(...) is not a literal; test files may only contain literal values`,
          );
        }
        if (this.isOp(this.peek(), ".")) {
          throw new LiteralSyntaxError(
            line,
            `'${token.value}.…' is not a literal; test files may only contain literal values`,
          );
        }
        throw new LiteralSyntaxError(
          line,
          `the name '${token.value}' is not a literal; test files may only contain strings, numbers, True/False/None, lists, tuples and dicts`,
        );
      }
      case "op": {
        if (token.value === "-" || token.value === "+") {
          const operand = this.next();
          if (operand.t !== "num") {
            throw new LiteralSyntaxError(line, `'${token.value}' may only come before a number`);
          }
          const value = token.value === "-" ? -operand.value : operand.value;
          return { kind: operand.isInt ? "int" : "float", value, line };
        }
        if (token.value === "[") return { kind: "list", items: this.sequence("]", depth), line };
        if (token.value === "(") {
          if (this.isOp(this.peek(), ")")) {
            this.next();
            return { kind: "tuple", items: [], line };
          }
          const first = this.value(depth + 1);
          if (this.isOp(this.peek(), ")")) {
            // Parentheses around one value without a comma are just grouping.
            this.next();
            return first;
          }
          this.expectOp(",", "between the items of a tuple");
          const rest = this.sequence(")", depth);
          return { kind: "tuple", items: [first, ...rest], line };
        }
        if (token.value === "{") return this.dict(depth, line);
        throw new LiteralSyntaxError(line, `unexpected '${token.value}'`);
      }
      case "newline":
      case "end":
        throw new LiteralSyntaxError(line, `expected a value, found ${describeToken(token)}`);
    }
  }

  private sequence(close: string, depth: number): PyNode[] {
    const items: PyNode[] = [];
    for (;;) {
      if (this.isOp(this.peek(), close)) {
        this.next();
        return items;
      }
      items.push(this.value(depth + 1));
      const after = this.peek();
      if (this.isOp(after, ",")) {
        this.next();
        continue;
      }
      if (!this.isOp(after, close)) {
        throw new LiteralSyntaxError(
          after.line,
          `expected ',' or '${close}', found ${describeToken(after)}`,
        );
      }
    }
  }

  private dict(depth: number, line: number): PyNode {
    const entries: { key: PyNode; value: PyNode }[] = [];
    for (;;) {
      if (this.isOp(this.peek(), "}")) {
        this.next();
        return { kind: "dict", entries, line };
      }
      const key = this.value(depth + 1);
      if (key.kind === "list" || key.kind === "dict") {
        throw new LiteralSyntaxError(key.line, "a dict key cannot be a list or a dict");
      }
      this.expectOp(":", "after a dict key");
      const value = this.value(depth + 1);
      entries.push({ key, value });
      const after = this.peek();
      if (this.isOp(after, ",")) {
        this.next();
        continue;
      }
      if (!this.isOp(after, "}")) {
        throw new LiteralSyntaxError(
          after.line,
          `expected ',' or '}' after a dict value, found ${describeToken(after)}`,
        );
      }
    }
  }
}

/** Reads a file of `NAME = literal` statements; throws LiteralSyntaxError. */
export function parseAssignments(source: string): PyAssignment[] {
  return new Parser(tokenize(source.replace(/^\uFEFF/, ""))).statements();
}
