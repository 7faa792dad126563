import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import {
  defaultBodyLimit,
  HTTPModuleFunctions,
  type HTTPReceiver,
  isRawBodyError,
  verifySlackRequest,
} from "@slack/bolt";
import { describeError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { isSlackEnvelope } from "./envelope.js";

/**
 * A gate in front of Bolt's HTTP receiver, for what Bolt does not check itself:
 *   - a request dated more than five minutes ahead is refused like a stale one (Bolt's
 *     verifySlackRequest only looks for old timestamps, so a signature captured with a future
 *     date could be replayed for as long as that date is ahead);
 *   - a signed body that is not one of Slack's requests (a JSON `null`, `[]`, `0`, an event
 *     of `null`) gets a 400 at once: Bolt crashed on some and hung or answered 500 on others.
 * The signature is checked here too, with Bolt's own function, so that without a valid one the
 * answer is always 401 and says nothing about the body.
 */

/** Slack's own bound on how far a request's timestamp may be from now, in either direction. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface RequestGuardOptions {
  signingSecret: string;
  /** The events path (POSTs to it are screened; every other request goes to Bolt untouched). */
  endpoint: string;
  log: Logger;
  /** Milliseconds since the epoch (tests set it). */
  now?: () => number;
}

type BufferedIncomingMessage = Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;
type Verdict = { pass: true } | { pass: false; status: number; why: string };

const FORM = "application/x-www-form-urlencoded";

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** Why a buffered request to the events URL must not reach Bolt, if it must not. */
function screen(req: BufferedIncomingMessage, options: RequestGuardOptions): Verdict {
  const rawBody = req.rawBody.toString();
  // Slack's SSL check is unsigned by design; Bolt answers it and keeps nothing else of its body.
  if (req.headers["content-type"] === FORM && parseQuery(rawBody).ssl_check === "1") return { pass: true };
  const timestamp = header(req, "x-slack-request-timestamp") ?? "";
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    return { pass: false, status: 401, why: "its timestamp is missing or more than 5 minutes from now" };
  }
  try {
    verifySlackRequest({
      signingSecret: options.signingSecret,
      body: rawBody,
      headers: {
        "x-slack-signature": header(req, "x-slack-signature") ?? "",
        "x-slack-request-timestamp": Number(timestamp),
      },
      nowMilliseconds: (options.now ?? Date.now)(),
    });
  } catch {
    return { pass: false, status: 401, why: "its signature does not match" };
  }
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(req);
  } catch {
    return { pass: false, status: 400, why: "its body is not JSON or form data" };
  }
  if (!isSlackEnvelope(body)) return { pass: false, status: 400, why: "its body is not a Slack request" };
  return { pass: true };
}

function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}

/** Puts the gate in front of `receiver` (before it starts). */
export function guardSlackRequests(receiver: HTTPReceiver, options: RequestGuardOptions): void {
  const bolt: RequestListener = receiver.requestListener;
  const { log } = options;
  const screened = async (req: IncomingMessage, res: ServerResponse) => {
    let buffered: BufferedIncomingMessage;
    try {
      // Bolt reuses a body buffered this way instead of reading the stream again.
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, defaultBodyLimit);
    } catch (error) {
      const tooLarge = isRawBodyError(error) && (error as { statusCode?: number }).statusCode === 413;
      log.warn({ err: describeError(error) }, "Slack request refused: its body could not be read");
      refuse(res, tooLarge ? 413 : 400);
      return;
    }
    const verdict = screen(buffered, options);
    if (!verdict.pass) {
      log.warn({ status: verdict.status }, `Slack request refused: ${verdict.why}`);
      refuse(res, verdict.status);
      return;
    }
    bolt(req, res);
  };
  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    // Anything else (health checks, unknown paths) is Bolt's to answer, as before.
    if (req.method !== "POST" || path !== options.endpoint) return bolt(req, res);
    screened(req, res).catch((error: unknown) => {
      log.error({ err: describeError(error) }, "Slack request failed in the request gate");
      refuse(res, 500);
    });
  };
}
