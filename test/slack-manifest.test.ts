import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ASK_COMMAND } from "../src/bot/slack/handlers/ask-command.js";

/** The items of the YAML list under `key:` (a flat list of scalars, as in the manifest). */
function listUnder(yaml: string, key: string): string[] {
  const lines = yaml.split("\n");
  const start = lines.findIndex((line) => line.trim() === `${key}:`);
  if (start === -1) return [];
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const item = /^- (\S+)$/.exec(trimmed);
    if (!item?.[1]) break;
    items.push(item[1]);
  }
  return items;
}

describe("slack-manifest.yml", () => {
  it("subscribes to the events, scopes and command the adapter handles, in Socket Mode", async () => {
    const manifest = await readFile("slack-manifest.yml", "utf8");
    expect(listUnder(manifest, "bot_events").sort()).toEqual([
      "app_mention",
      "assistant_thread_context_changed",
      "assistant_thread_started",
      "message.im",
    ]);
    expect(listUnder(manifest, "bot").sort()).toEqual([
      "app_mentions:read",
      "assistant:write",
      "channels:history",
      "chat:write",
      "commands",
      "groups:history",
      "im:history",
      "mpim:history",
    ]);
    expect(manifest).toContain(`- command: ${ASK_COMMAND}\n`);
    expect(manifest).toMatch(/^ {2}socket_mode_enabled: true$/m);
    expect(manifest).toMatch(/^ {4}is_enabled: true$/m);
    expect(manifest).toMatch(/^ {4}messages_tab_enabled: true$/m);
    expect(manifest).toMatch(/^ {2}assistant_view:$/m);
  });
});
