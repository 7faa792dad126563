/**
 * Discord's documented size limits, declared once. Lengths are counted in UTF-16
 * code units (JavaScript's `length`), which is never less than what Discord
 * counts, so staying under them here stays under them there.
 */
export const DISCORD_LIMITS = {
  /** Plain message content. */
  content: 2_000,
  embedTitle: 256,
  embedDescription: 4_096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
  /** Sum of every title, description, field, footer and author text of all embeds in one message. */
  embedsTotal: 6_000,
  /** Thread names. */
  threadName: 100,
  /** A component's custom_id. */
  customId: 100,
} as const;
