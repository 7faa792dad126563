const PREFIX = "more-quotes:";

export const EXPIRED_BUTTON = "Those quotes are no longer at hand: please ask again with /ask.";

/**
 * The custom_id of a "More quotes" button: the posted answer's key in the quote store and the
 * first passage the button shows. The page is in the id, not in the store, so everyone who
 * presses a button sees the same next quotes.
 */
export function moreQuotesId(key: string, from: number): string {
  return `${PREFIX}${key}:${from}`;
}

/** Whether a component's custom_id is one of this bot's "More quotes" buttons. */
export function isMoreQuotesId(customId: string): boolean {
  return customId.startsWith(PREFIX);
}

/** The key and first passage a button refers to; undefined when it is not one this bot made. */
export function parseMoreQuotesId(customId: string): { key: string; from: number } | undefined {
  const match = /^more-quotes:([\w-]+):(\d{1,4})$/.exec(customId);
  return match?.[1] && match[2] ? { key: match[1], from: Number(match[2]) } : undefined;
}
