/**
 * The conversation profile: what retrieval assumes about the kind of show, beside the language
 * (`english.ts`). The shows it was written for are interviews — a host talks with a guest — about
 * cloud software; a panel, a solo show or another subject changes this file.
 */

// ─── The conversation: a host and a guest ───────────────────────────────────────────────────────

/** The words that name a speaker by role, in the order they are tried ("the host", "the guest"). */
export const ROLE_WORDS = { host: "host", guest: "guest" } as const;

/**
 * Question words (stems) that stand for the episode's metadata, so "what show is this and who
 * hosts it" finds the turn where the host names himself and the show.
 */
export const METADATA_WORDS = {
  show: ["show", "podcast"],
  title: ["episod", "titl"],
  host: ["host", "interview"],
  guest: ["guest", "interviewe"],
};

/**
 * "Do they load test lambda?", "how do they learn from outages": in an interview, "they" (named by
 * no one) are the guest's side, whom the guest speaks for. Not "what did they say": that is
 * both speakers.
 */
export function meansGuestSide(question: string): boolean {
  return (
    /\b(they|their|them)\b/i.test(question) &&
    !/\bthey\s+(say|said|talk|talked|mention|mentioned|discuss|discussed|think|thought|agree|disagree|chat|chatted)\b/i.test(
      question,
    )
  );
}

/**
 * "Which episodes talk about Rust?", "any episodes with Rob Pike?": a question asking for
 * episodes, in the plural, is answered by the best passage of each of several episodes.
 */
export function asksForEpisodes(question: string): boolean {
  return /\bepisodes\b/i.test(question);
}

/**
 * "What did Jeremy ask Holly about cold starts?": a question about what was asked, whose answer
 * may be a passage that only asks.
 */
export function asksWhatWasAsked(question: string): boolean {
  return /\b(ask|asks|asked|asking|question|questions)\b/i.test(question);
}

/** In a question asking for episodes, the words for being about something: no topic of theirs. */
export const ABOUT_VERBS =
  "talk talks talked talking discuss discusses discussed cover covers covered mention mentions mentioned feature features featured";

// ─── The subject: cloud software ────────────────────────────────────────────────────────────────

/** Events of the subject's world that date what is said ("at re:Invent"), as a date word does. */
export const DATED_EVENTS = "re:invent";

/** What prices are given per in the subject ("price per GB?"): a question naming one asks for an amount. */
export const PRICING_UNITS = ["gb", "mb", "hour", "month", "request", "second"] as const;

/** Units of data size in a question: the amount it asks for is a size. */
export const ASKS_SIZE = /\b(kb|mb|gb|tb|kib|mib|gib|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?)\b/i;

/** A size as a sentence states it ("10 GB", "256 megabytes"). */
export const STATES_SIZE =
  /\d\s*(k|m|g|t)i?b\b|\b(kb|mb|gb|tb|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?)\b/i;
