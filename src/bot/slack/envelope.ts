// Zod's v3 API, as in src/config.ts (it loads faster than the v4 API).
import { z } from "zod/v3";

/**
 * The shapes of what Slack posts to the events URL, as far as Bolt reads them before any
 * handler runs. Bolt trusts the body once its signature checks out: a signed `null` crashed
 * it outside its own error handling, `{"event": null}` made it answer 500, and a body it could
 * not place (`[]`, `0`, `{}`) waited 3 seconds for an acknowledgement that never came. What is
 * not one of these shapes gets a 400 before Bolt sees it.
 */

const object = z.record(z.unknown());
const idHolder = z.object({ id: z.string() }).passthrough();

/** Events API: a challenge when the URL is set up, then events. */
const urlVerification = z
  .object({ type: z.literal("url_verification"), challenge: z.string() })
  .passthrough();
const eventCallback = z
  .object({
    type: z.literal("event_callback"),
    event: z
      .object({
        type: z.string(),
        channel: z.union([z.string(), object]).optional(),
        item: object.optional(),
        user: z.union([z.string(), object]).optional(),
        subteam: object.optional(),
      })
      .passthrough(),
    authorizations: z.array(object).optional(),
  })
  .passthrough();

/** Interactivity (`payload=` JSON, form-encoded): buttons, menus, modals, shortcuts. */
const interaction = z
  .object({
    type: z.enum([
      "block_actions",
      "block_suggestion",
      "view_submission",
      "view_closed",
      "shortcut",
      "message_action",
      "interactive_message",
      "dialog_submission",
      "dialog_suggestion",
      "dialog_cancellation",
    ]),
    user: idHolder,
    team: idHolder.nullable().optional(),
    enterprise: idHolder.nullable().optional(),
    channel: idHolder.nullable().optional(),
    actions: z.array(object).optional(),
    view: object.optional(),
    container: object.optional(),
  })
  .passthrough()
  .refine((body) => !["view_submission", "view_closed"].includes(body.type) || body.view !== undefined);

/** A slash command: plain form fields, each given once. */
const slashCommand = z.object({ command: z.string().startsWith("/") }).catchall(z.string());

const envelope = z.union([urlVerification, eventCallback, interaction, slashCommand]);

/** Whether a parsed body is one of the requests Slack sends to the events URL. */
export function isSlackEnvelope(body: unknown): boolean {
  return envelope.safeParse(body).success;
}
