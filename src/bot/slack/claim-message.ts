import type { SlackDeps } from "./answer-question.js";

/**
 * Claims a person's message before it is answered; false when it was claimed
 * before, here or on another replica. Slack can bring one message under
 * several event ids (a redelivery, or `app_mention` and `message.im` for a DM
 * that mentions the bot), so the event id alone does not say it is new.
 */
export async function claimMessage(deps: SlackDeps, channel: string, ts: string): Promise<boolean> {
  if (await deps.claims.claim(`slack:message:${channel}:${ts}`)) return true;
  deps.log.debug({ channel, ts }, "message already answered: dropped");
  return false;
}
