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

/** The same, for an interaction follow-up, which must repeat that the response is ephemeral. */
export function followUpOptions(reply: DiscordReply, ephemeral: boolean) {
  const flags = (reply.flags ?? 0) | (ephemeral ? MessageFlags.Ephemeral : 0);
  return { ...messageOptions(reply), ...(flags === 0 ? {} : { flags }) };
}
