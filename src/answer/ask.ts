import type { EpisodeMeta } from "../corpus/types.js";
import { withSummary } from "../llm/attach.js";
import { groundingSources } from "../llm/grounding-sources.js";
import type { Rewriter, Summarizer } from "../llm/types.js";
import { resolveFollowUpScope } from "../retrieval/query/scope.js";
import { type AbstentionSettings, DEFAULT_ABSTENTION, judge } from "./abstain.js";
import { askingPart, judgedAnalysis } from "./asking-part.js";
import { withoutChatMarkup } from "./chat-markup.js";
import { composeAnswer } from "./compose.js";
import { type ConversationStore, MemoryConversations } from "./conversations.js";
import { isFollowUp, mergeFollowUp } from "./follow-up.js";
import type { PassageRetriever } from "./ports.js";
import type { Answer, StreamingAsk, StreamingAskInput } from "./types.js";

/** Longest question accepted; longer ones get a clear reply, not a slow search. */
export const MAX_QUESTION_CHARS = 1_000;
export const DEFAULT_PASSAGES = 3;

export interface AskOptions {
  /** The retriever to search; a function so a newly published index can be swapped in. */
  retriever: () => PassageRetriever;
  /** Where each conversation's questions are kept (default: this process's memory). */
  conversations?: ConversationStore;
  abstention?: AbstentionSettings;
  /** Optional LLM summary written on top of the quotes; without it answers are quotes alone. */
  summarizer?: Summarizer;
  /** Optional LLM rewrite of a follow-up into a standalone question, before retrieval. */
  rewriter?: Rewriter;
  /** Time the LLM steps of one question (rewrite and summary) may take together. */
  llmTimeoutMs?: number;
  /** Longest question accepted (default MAX_QUESTION_CHARS). */
  maxQuestionChars?: number;
}

const DEFAULT_LLM_TIMEOUT_MS = 6_000;

function invalid(question: string, message: string): Answer {
  return { status: "not_found", question, message, passages: [] };
}

/** The use case at the centre of the bot: a question (and its conversation) in, an `Answer` out. */
export function createAsk(options: AskOptions): StreamingAsk {
  const conversations = options.conversations ?? new MemoryConversations();
  const abstention = options.abstention ?? DEFAULT_ABSTENTION;

  return async function ask(input: StreamingAskInput): Promise<Answer> {
    // As written: echoed, kept in the conversation and shown to the LLM. Emoji and mentions are
    // not searched for (see chat-markup.ts).
    const text = input.text.replace(/\s+/g, " ").trim();
    const plain = withoutChatMarkup(text);
    if (plain === "") return invalid(text, "Please ask a question about the episode.");
    const maxChars = options.maxQuestionChars ?? MAX_QUESTION_CHARS;
    if (text.length > maxChars) {
      return invalid(
        text.slice(0, 80),
        `That question is ${text.length} characters long; please keep it under ${maxChars}.`,
      );
    }
    const retriever = options.retriever();
    const history = input.conversation ? await conversations.history(input.conversation) : [];
    const previous = history.at(-1)?.standalone;
    const followUp = previous !== undefined && isFollowUp(plain);
    const limit = Math.max(1, input.limit ?? DEFAULT_PASSAGES);
    // One deadline for all LLM work of this question, so the quotes are never held past it.
    const llmDeadline =
      options.summarizer || options.rewriter
        ? AbortSignal.timeout(options.llmTimeoutMs ?? DEFAULT_LLM_TIMEOUT_MS)
        : undefined;
    const rewritten =
      followUp && options.rewriter && llmDeadline
        ? await options.rewriter.rewrite(
            text,
            history.map((turn) => turn.standalone),
            llmDeadline,
            input.user,
          )
        : undefined;
    const asked = rewritten ?? text;
    // Episodes the channel is pinned to or the question names; their words are not searched for.
    const scope = resolveFollowUpScope(
      rewritten ?? plain,
      followUp && rewritten === undefined && previous !== undefined ? withoutChatMarkup(previous) : undefined,
      retriever.index.episodes,
      input.scope,
    );
    if (scope.problem) return invalid(asked, scope.problem);

    const { hits, analysis } = await retriever.retrieve({
      text: scope.text,
      previous: scope.previous,
      limit,
      episodes: scope.episodes,
      ...(scope.named ? { namedEpisode: true } : {}),
    });
    // Judged on what the message asks, when it also gives context (see asking-part.ts).
    const asking = askingPart(scope.text);
    const judged = asking
      ? judgedAnalysis(
          analysis,
          retriever.analyse({
            text: asking,
            previous: scope.previous,
            limit,
            episodes: scope.episodes,
            ...(scope.named ? { namedEpisode: true } : {}),
          }),
        )
      : analysis;
    const verdict = judge(
      hits,
      judged,
      retriever.index.lexical.text,
      abstention,
      () => retriever.topicality(judged, hits),
      () => retriever.missingTopic(judged),
    );
    const standalone = rewritten ?? (followUp ? mergeFollowUp(text, previous) : text);
    if (input.conversation) await conversations.add(input.conversation, { question: text, standalone });

    const episodes = new Map<string, EpisodeMeta>(retriever.index.episodes.map((e) => [e.id, e]));
    const answer = composeAnswer(standalone, hits, verdict, episodes, analysis);
    if (!options.summarizer || !llmDeadline || answer.passages.length === 0) return answer;
    input.onQuotes?.(answer);
    const summary = await options.summarizer.summarize(standalone, answer.passages, llmDeadline, {
      user: input.user,
      onPartial: input.onSummaryText,
      grounding: groundingSources(retriever, answer.passages),
    });
    return withSummary(answer, summary);
  };
}
