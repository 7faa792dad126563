import type { App, RespondFn } from "@slack/bolt";
import { resolveScopeName } from "../../../answer/scope-names.js";
import { scopeForChannel } from "../../../config.js";
import { describeError } from "../../../errors.js";
import { answerQuestion, conversationId, type Deliver, type SlackDeps } from "../answer-question.js";
import { fromSlackText } from "../escape.js";
import { renderNotice } from "../render.js";

/** The slash command the manifest declares. */
export const ASK_COMMAND = "/ask";

export const ASK_USAGE =
  "Ask about the episodes, e.g. `/ask what did Holly say about cold starts?` " +
  'Start with `in:gotime`, `in:"Founders Talk"` or `in:go-time-100` to ask about one show or episode only ' +
  "(in a channel pinned to a show, only within it). " +
  "Add `--private` to see the answer alone, or `--public` to share it with the channel.";

/** What an `/ask` says: its question, whether only the asker sees the answer, and the show or episode it names. */
export interface AskCommand {
  text: string;
  ephemeral: boolean;
  /** The name after `in:` (`gotime`, `Founders Talk`), when the asker gave one. */
  within?: string;
}

// `in:NAME`, or `in:"TWO WORDS"` with straight or curly quotes (Slack's clients curl them).
const WITHIN = /^in:(?:"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+))(?=\s|$)\s*/i;
const FLAG = /^(--private|--public|-p)(?=\s|$)\s*/i;

/**
 * Reads the options at the start of an `/ask`, in any order: `--private`/`-p`, `--public`,
 * and `in:NAME`. Anything after the first word that is not one is the question.
 */
export function parseAskCommand(text: string, ephemeralByDefault: boolean): AskCommand {
  let rest = text.trim();
  let ephemeral = ephemeralByDefault;
  let within: string | undefined;
  for (;;) {
    const flag = FLAG.exec(rest);
    const named = flag ? null : WITHIN.exec(rest);
    if (flag) ephemeral = flag[1]?.toLowerCase() !== "--public";
    else if (named) within = named.slice(1).find((group) => group !== undefined) ?? "";
    else break;
    rest = rest.slice((flag ?? named)?.[0].length ?? 0);
  }
  return within === undefined ? { text: rest, ephemeral } : { text: rest, ephemeral, within };
}

function respondWith(respond: RespondFn, ephemeral: boolean): Deliver {
  return (message) =>
    respond({
      response_type: ephemeral ? "ephemeral" : "in_channel",
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
}

/**
 * `/ask question`: acknowledged at once, then answered through the command's
 * `response_url`, which works in any channel or DM without the bot being a
 * member. Visible to the channel, or only to the asker with `--private` (or
 * `SLACK_ASK_EPHEMERAL`). The asker's `/ask`s in a channel form one conversation.
 * `in:NAME` narrows the channel's scope to a show or an episode; a name the
 * archive does not hold, or one outside the channel, is answered to the asker
 * alone, with what can be named, and nothing is searched.
 */
export function registerAskCommand(app: App, deps: SlackDeps): void {
  app.command(ASK_COMMAND, async ({ command, ack, respond, context }) => {
    await ack();
    const parsed = parseAskCommand(fromSlackText(command.text, context.botUserId), deps.ephemeralByDefault);
    const privately = (text: string, what: string) =>
      respondWith(
        respond,
        true,
      )(renderNotice(text)).catch((error: unknown) => {
        deps.log.warn({ err: describeError(error) }, `could not send ${what}`);
      });
    if (parsed.text === "") {
      await privately(ASK_USAGE, "/ask usage");
      return;
    }
    const channelScope = scopeForChannel(deps.channelScopes, command.channel_id);
    let scope = channelScope;
    if (parsed.within !== undefined) {
      const named = resolveScopeName(parsed.within, deps.episodes(), channelScope);
      if ("problem" in named) {
        await privately(named.problem, "the /ask scope problem");
        return;
      }
      scope = named.scope;
    }
    await answerQuestion(
      deps,
      {
        text: parsed.text,
        user: command.user_id,
        conversation: conversationId(command.channel_id, `ask-${command.user_id}`),
        channel: command.channel_id,
        scope,
        echoQuestion: true,
      },
      // A response_url message cannot be updated in place, so the quotes wait for the summary here.
      { deliver: respondWith(respond, parsed.ephemeral) },
    );
  });
}
