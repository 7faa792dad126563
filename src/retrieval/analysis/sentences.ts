import { ENDS_ASKING, REQUESTS, SENTENCE_BOUNDARY } from "../profile/english.js";

/** A sentence with its offsets relative to the text it came from. */
export interface Sentence {
  text: string;
  start: number;
  end: number;
}

export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body) sentences.push({ text: body, start: start + lead, end: start + lead + body.length });
  };
  for (const match of text.matchAll(SENTENCE_BOUNDARY)) {
    const end = match.index + match[0].trimEnd().length;
    push(end);
    start = match.index + match[0].length;
  }
  push(text.length);
  return sentences;
}

/** Whether a text (a sentence, or a passage by its last sentence) ends by asking: "?", then closing quotes or brackets. */
export function endsWithQuestion(text: string): boolean {
  return ENDS_ASKING.test(text);
}

/** Whether a sentence asks something: it ends with "?" or opens with a request ("Tell us about…"). */
export function sentenceAsks(text: string): boolean {
  return ENDS_ASKING.test(text) || REQUESTS.test(text);
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
