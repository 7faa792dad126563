import { endsWithQuestion } from "../analysis/sentences.js";
import type { Passage } from "../index/passage.js";

/**
 * How the passages of a conversation follow each other, worked out once per index (not per
 * question): which turn hands over to the other speaker's answer, and which passage is a short
 * reply to the one before it.
 */
export class TurnLinks {
  /** 1 where a passage ends its turn with a question that the next turn, another speaker's, answers. */
  private readonly handsOverAt: Uint8Array;
  /** 1 where a passage is a short reply to the one before it. */
  private readonly shortReply: Uint8Array;
  /** 1 where a passage opens the other speaker's reply to a turn that asks something (`answersQuestion`). */
  readonly opensAnswer: Uint8Array;

  constructor(passages: Passage[], shortReplyWords: number) {
    this.handsOverAt = Uint8Array.from(passages, (passage, position) => {
      const next = passages[position + 1];
      return passage.part === passage.parts - 1 &&
        (passage.endsWithQuestion ?? endsWithQuestion(passage.text)) &&
        next?.episodeId === passage.episodeId &&
        next.turnIndex === passage.turnIndex + 1 &&
        next.speaker.name !== passage.speaker.name &&
        next.speaker.role !== "notes"
        ? 1
        : 0;
    });
    this.opensAnswer = new Uint8Array(passages.length);
    this.opensAnswer.set(this.handsOverAt.subarray(0, Math.max(0, passages.length - 1)), 1);
    this.shortReply = Uint8Array.from(passages, (_, position) =>
      isShortReply(passages, position, shortReplyWords) ? 1 : 0,
    );
  }

  /** Whether the passage ends its turn with a question that the other speaker answers next. */
  handsOver(position: number): boolean {
    return this.handsOverAt[position] === 1;
  }

  /** Whether the passage at `position` opens the other speaker's reply to a turn that asks something. */
  answersQuestion(position: number): boolean {
    return this.opensAnswer[position] === 1;
  }

  /**
   * Whether the passage is a short reply that says nothing the turn before it did not, to a turn
   * that asked nothing: a conversation's echo ("Give salt, please." – "Salt, please."). A reply
   * repeating a question's words confirms it ("Fifteen minutes?" – "Fifteen minutes, yes.").
   */
  echoes(position: number, { own, context }: { own: Set<string>; context: Set<string> }): boolean {
    if (this.shortReply[position] !== 1 || this.opensAnswer[position] === 1 || own.size === 0) return false;
    for (const term of own) if (!context.has(term)) return false;
    return true;
  }

  /** The position of the passage a short reply answers (see `isShortReply`), else undefined. */
  repliesTo(position: number): number | undefined {
    return this.shortReply[position] === 1 ? position - 1 : undefined;
  }
}

/**
 * Whether the passage at `position` is a short reply: a whole turn of at most `maxWords` words,
 * right after another speaker's turn of the same episode (not the episode notes).
 */
function isShortReply(passages: Passage[], position: number, maxWords: number): boolean {
  const reply = passages[position];
  const before = passages[position - 1];
  if (!reply || !before || reply.parts !== 1 || before.episodeId !== reply.episodeId) return false;
  if (before.speaker.name === reply.speaker.name || before.speaker.role === "notes") return false;
  return (
    before.turnIndex === reply.turnIndex - 1 &&
    // An index's passages carry their word count: opening an archive reads no passage's text.
    (reply.wordCount !== undefined ? reply.wordCount <= maxWords : hasAtMostWords(reply.text, maxWords))
  );
}

/** At most `max` words (as countWords counts them), without splitting all of a long text (this runs for every passage at load). */
function hasAtMostWords(text: string, max: number): boolean {
  let count = 0;
  for (const _ of text.matchAll(/\S+/g)) if (++count > max) return false;
  return true;
}
