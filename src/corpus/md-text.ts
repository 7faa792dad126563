import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";

/**
 * The words of a piece of a Markdown transcript as a reader sees them: links
 * become their text, emphasis and backslash escapes go, entities are decoded
 * (the CommonMark parser does this), and the transcript's escaped brackets are
 * taken out: `\[00:12:40.15\]` is a timestamp, anything else in brackets
 * (`\[laughs\]`, `\[inaudible\]`) a note that nobody said.
 */

export interface MdStamp {
  /** Where the words after the timestamp begin in the text. */
  at: number;
  /** Seconds from the start of the recording. */
  seconds: number;
  /** Offsets of the timestamp itself in the source, brackets and backslashes included. */
  from: number;
  to: number;
}

export interface MdText {
  /** Plain text: whitespace collapsed; paragraphs inside the piece (a list, a quote) on lines of their own. */
  text: string;
  stamps: MdStamp[];
}

/**
 * `[00:12:40.15]`, `[04:01]` or `[1:25:53]` after unescaping (a few files write
 * `\[\\00:59:17.27\]`, hence the optional backslashes); or any other bracketed note.
 */
const BRACKETED =
  /\[[ \t]*\\*(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)(?:\.\d{1,3})?[ \t]*\\*\]|\[[^[\]\n]{0,200}\]/g;

const BLOCK_TYPES = new Set(["paragraph", "heading", "blockquote", "list", "listItem", "code", "html"]);

/** Punctuation that ends what comes before it: followed by a space, a closing quote or nothing. */
const TRAILING_PUNCTUATION = /^[.,!?;:)]+(?=$|[\s"'”’\]])/;

/** Builds the plain text: collapses whitespace as it goes, so positions recorded on the way stay right. */
class TextBuilder {
  text = "";
  stamps: MdStamp[] = [];

  /**
   * Adds words. Punctuation that ends a sentence or clause right after a note
   * taken out goes back onto the word before it: "funny \[laughs\]." leaves
   * "funny ." without this. Punctuation that starts a word stays apart, as it
   * was said: "that's a \[unintelligible\] .js extension", "on purpose...
   * \[laughter\] \...it's". A code span (`literal`) is never glued: the space
   * before "`.Query()`" or "`:=`" is in the source.
   */
  add(piece: string, literal = false): void {
    let words = piece.replace(/\s+/g, " ");
    const last = this.text.at(-1);
    if (last === undefined || last === "\n" || last === " ") words = words.trimStart();
    if (last === " " && !literal && TRAILING_PUNCTUATION.test(words)) this.text = this.text.slice(0, -1);
    this.text += words;
  }

  /** Ends a paragraph inside the piece (list items, quoted paragraphs): the next words start a line. */
  newLine(): void {
    this.text = this.text.trimEnd();
    if (this.text !== "") this.text += "\n";
  }

  stamp(seconds: number, from: number, to: number): void {
    this.stamps.push({ at: this.text.length, seconds, from, to });
  }

  finish(): MdText {
    const text = this.text.trimEnd();
    // A timestamp at the very end (words trimmed after it) points at the end of the text.
    const stamps = this.stamps.map((s) => (s.at > text.length ? { ...s, at: text.length } : s));
    return { text, stamps };
  }
}

/**
 * Adds a text node's value, taking the timestamps and notes out. A timestamp's
 * place in the source is found by its digits, which escaping leaves as they are.
 */
function addText(out: TextBuilder, value: string, source: string, start: number, end: number): void {
  let at = 0;
  let cursor = start;
  for (const match of value.matchAll(BRACKETED)) {
    out.add(value.slice(at, match.index));
    at = match.index + match[0].length;
    const [, hours, minutes, seconds] = match;
    if (minutes === undefined || seconds === undefined) continue;
    const digits = match[0].replace(/^\[[ \t]*\\*/, "").replace(/[ \t]*\\*\]$/, "");
    const found = source.indexOf(digits, cursor);
    const inside = found !== -1 && found < end ? found : cursor;
    const open = source.lastIndexOf("[", inside);
    const close = source.indexOf("]", inside + digits.length);
    const from = open >= cursor ? (source[open - 1] === "\\" ? open - 1 : open) : inside;
    const to = close !== -1 && close < end ? close + 1 : Math.min(end, inside + digits.length);
    cursor = to;
    out.stamp(Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds), from, to);
  }
  out.add(value.slice(at));
}

interface Walk {
  out: TextBuilder;
  source: string;
  /** Offset in the source of the parsed piece's first character. */
  base: number;
  /** Source before this offset (the speaker label) is not text. */
  skipUntil: number;
}

function walk(node: Nodes, w: Walk): void {
  const start = w.base + (node.position?.start.offset ?? 0);
  const end = w.base + (node.position?.end.offset ?? 0);
  if (end <= w.skipUntil && node.type !== "root") return;
  const out = w.out;
  switch (node.type) {
    case "text": {
      // The text right after `**Name**` starts with the label's ":", which is plain text.
      const cut = Math.max(0, w.skipUntil - start);
      addText(out, node.value.slice(cut), w.source, start + cut, end);
      return;
    }
    case "inlineCode":
      out.add(node.value, true);
      return;
    case "break":
      out.add(" ");
      return;
    case "html":
      // `<pre>…</pre>`, `<br>`: the tags are no words.
      out.add(node.value.replace(/<[^>]*>/g, " "));
      return;
    case "code":
      out.newLine();
      out.add(node.value);
      out.newLine();
      return;
    case "image":
    case "imageReference":
    case "definition":
    case "thematicBreak":
      return;
    default:
      if (!("children" in node)) return;
      if (BLOCK_TYPES.has(node.type)) out.newLine();
      for (const child of node.children) walk(child as Nodes, w);
      if (BLOCK_TYPES.has(node.type)) out.newLine();
  }
}

/**
 * The plain text of `source.slice(start, end)` from `skipUntil` on, with its
 * timestamps placed in the text and in the source, by the CommonMark parser.
 * The block is parsed whole, label included, so `**Jerod Santo:** 1. First…`
 * stays a paragraph, as it is in the published page, and not a list.
 */
export function parsedMarkdownText(source: string, start: number, end: number, skipUntil = start): MdText {
  const out = new TextBuilder();
  walk(fromMarkdown(source.slice(start, end)), { out, source, base: start, skipUntil });
  return out.finish();
}

/**
 * What may make text mean something else in Markdown: emphasis, code, HTML and
 * autolinks, entities, images; a backslash escape other than the transcripts'
 * own `\[` and `\]`; an unescaped bracket (a link); a line that may start a
 * list, a quote or a heading, or underline one; an indented line (code).
 */
const MARKDOWN_SYNTAX =
  /[*_`<>&!]|\\(?![[\]])|(?<!\\)[[\]]|(?:^|\n)[ \t]*(?:[-+>#=]|\d{1,9}[.)])|(?:^|\n)(?: {4}|\t)/;

/**
 * Like `parsedMarkdownText`, without the parser for the four blocks in five
 * that hold none of its syntax (plain words, escaped brackets at most), whose
 * text is their words as written: parsing them all takes most of a build's
 * parsing time on an archive. Tests check both give the same on real episodes.
 */
export function markdownText(source: string, start: number, end: number, skipUntil = start): MdText {
  const words = source.slice(skipUntil, end);
  if (MARKDOWN_SYNTAX.test(words)) return parsedMarkdownText(source, start, end, skipUntil);
  const out = new TextBuilder();
  addText(out, words.replace(/\\([[\]])/g, "$1"), source, skipUntil, end);
  return out.finish();
}
