import { AppError } from "../errors.js";
import { lineFinder } from "./lines.js";

export interface Span {
  start: number;
  end: number;
}

/** Where an object or array is in the JSON source, with its property values or items. */
export interface ValueSpans extends Span {
  /** Objects: property name -> offsets of its value (a string's offsets are inside its quotes). */
  properties?: Map<string, Span>;
  /** Arrays: offsets of each item. */
  items?: Span[];
}

/**
 * JSON.parse that also tells where things are: every object parsed is a key
 * of the returned map, with its offsets and those of its property values, so
 * an error about a segment can name its line. Syntax errors name the line too,
 * which JSON.parse's messages do not always do.
 */
export function parseJsonWithSpans(
  source: string,
  file: string,
): { value: unknown; spans: WeakMap<object, ValueSpans>; lineAt: (offset: number) => number } {
  const spans = new WeakMap<object, ValueSpans>();
  const lineAt = lineFinder(source);
  let pos = 0;

  const fail = (expected: string): never => {
    const found = pos >= source.length ? "the end of the file" : JSON.stringify(source.slice(pos, pos + 12));
    throw new AppError(
      "E_TRANSCRIPT_FORMAT",
      `${file}:${lineAt(pos)}: not valid JSON: expected ${expected}, found ${found}.`,
    );
  };
  const space = () => {
    while (pos < source.length && " \t\n\r\ufeff".includes(source[pos] as string)) pos += 1;
  };
  const token = (re: RegExp, expected: string): string => {
    re.lastIndex = pos;
    const match = re.exec(source);
    if (!match) return fail(expected);
    pos += match[0].length;
    return match[0];
  };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters.
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const LITERAL = /true|false|null/y;

  const value = (): unknown => {
    space();
    const c = source[pos];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return JSON.parse(token(STRING, "a string"));
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return Number(token(NUMBER, "a number"));
    return JSON.parse(token(LITERAL, "a value"));
  };
  const array = (): unknown[] => {
    const start = pos;
    pos += 1;
    const result: unknown[] = [];
    const items: Span[] = [];
    space();
    if (source[pos] === "]") pos += 1;
    else {
      for (;;) {
        space();
        const at = pos;
        result.push(value());
        items.push({ start: at, end: pos });
        space();
        if (source[pos] === ",") pos += 1;
        else if (source[pos] === "]") {
          pos += 1;
          break;
        } else fail('"," or "]"');
      }
    }
    spans.set(result, { start, end: pos, items });
    return result;
  };
  const object = (): Record<string, unknown> => {
    const start = pos;
    pos += 1;
    const result: Record<string, unknown> = {};
    const properties = new Map<string, Span>();
    space();
    if (source[pos] === "}") pos += 1;
    else {
      for (;;) {
        space();
        const key = JSON.parse(token(STRING, "a property name in double quotes")) as string;
        space();
        if (source[pos] !== ":") fail('":"');
        pos += 1;
        space();
        const at = pos;
        // defineProperty: a "__proto__" key must stay a plain property, as JSON.parse keeps it.
        Object.defineProperty(result, key, {
          value: value(),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        const quoted = source[at] === '"';
        properties.set(key, { start: quoted ? at + 1 : at, end: quoted ? pos - 1 : pos });
        space();
        if (source[pos] === ",") pos += 1;
        else if (source[pos] === "}") {
          pos += 1;
          break;
        } else fail('"," or "}"');
      }
    }
    spans.set(result, { start, end: pos, properties });
    return result;
  };

  const result = value();
  space();
  if (pos < source.length) fail("the end of the file");
  return { value: result, spans, lineAt };
}
