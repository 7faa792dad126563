import { describe, expect, it } from "vitest";
import { withoutChatMarkup } from "../src/answer/chat-markup.js";

describe("withoutChatMarkup", () => {
  it.each([
    [":thinking_face: what did holly say about cold starts?", "what did holly say about cold starts?"],
    ["what about EFS :+1::skin-tone-2: :-1:", "what about EFS"],
    [
      "<@123456789> <@!42> <@&7> in <#99>, why destinations? <:blobthink:555> <a:party:556>",
      "in , why destinations?",
    ],
    ["asked <t:1600000000:R>: why 15 minutes?", "asked : why 15 minutes?"],
    ["cc @alice.smith is EFS covered?", "cc is EFS covered?"],
    ["in https://youtu.be/nBYUh7CVUiQ?t=120 why 15 minutes?", "in why 15 minutes?"],
  ])("%j asks %j", (message, asked) => {
    expect(withoutChatMarkup(message)).toBe(asked);
  });

  it.each(["re:Invent 2018 at 10:30:45?", "mail a@b.com about it", ":) what?"])(
    "leaves %j as written",
    (message) => {
      expect(withoutChatMarkup(message)).toBe(message);
    },
  );
});
