import { randomBytes } from "node:crypto";
import { MessageFlags } from "discord.js";
import { ALLOWED_MENTIONS } from "./client.js";
import type { DiscordReply } from "./render.js";

/** A rendered reply as discord.js send/reply/edit options, always with the no-ping mention policy. */
export function messageOptions(reply: DiscordReply) {
  return {
    content: reply.content,
    embeds: reply.embeds,
    components: reply.components,
    allowedMentions: ALLOWED_MENTIONS,
    ...(reply.flags === undefined ? {} : { flags: reply.flags }),
  };
}

/**
 * Options for a new channel message: a nonce of its own, which Discord enforces. The REST client
 * sends a create again after a timeout or a 5xx, and the first may have made the message: with
 * the same nonce Discord returns that message instead of making a second one.
 */
export function createOptions(reply: DiscordReply) {
  // Discord takes nonces of up to 25 characters: 16 here.
  return { ...messageOptions(reply), nonce: randomBytes(12).toString("base64url"), enforceNonce: true };
}

/** The same, for an interaction follow-up, which must repeat that the response is ephemeral. */
export function followUpOptions(reply: DiscordReply, ephemeral: boolean) {
  const flags = (reply.flags ?? 0) | (ephemeral ? MessageFlags.Ephemeral : 0);
  return { ...messageOptions(reply), ...(flags === 0 ? {} : { flags }) };
}
