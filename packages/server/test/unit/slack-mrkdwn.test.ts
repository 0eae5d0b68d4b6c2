import { describe, expect, it } from "vitest";
import { reviewMessage } from "../../src/slack/blocks.js";
import type { PetitionCard } from "../../src/slack/card.js";
import { escapeUserText } from "../../src/slack/mrkdwn.js";

describe("escapeUserText", () => {
  it.each([
    ["plain words", "Investigating incident 42", "Investigating incident 42"],
    ["Slack's control characters", "a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"],
    ["an entity someone typed", "&amp;", "&amp;amp;"],
    ["a channel ping", "<!channel> look", "&lt;!channel&gt; look"],
    ["a here ping", "<!here|here>", "&lt;!here|here&gt;"],
    ["an everyone ping", "<!everyone>", "&lt;!everyone&gt;"],
    ["a user mention", "ask <@U0CTO>", "ask &lt;@U0CTO&gt;"],
    ["a channel link", "see <#C0SEC|security>", "see &lt;#C0SEC|security&gt;"],
    ["a group mention", "<!subteam^S0ADMINS>", "&lt;!subteam^S0ADMINS&gt;"],
    [
      "a link with other text",
      "<https://evil.example|https://greenlight.example.com>",
      "&lt;https://evil.example|https://greenlight.example.com&gt;",
    ],
    ["a date token", "<!date^0^{date}|today>", "&lt;!date^0^{date}|today&gt;"],
    ["@channel written out", "@channel @here @Everyone hi", "＠channel ＠here ＠Everyone hi"],
    ["an email stays readable", "alice@example.com", "alice@example.com"],
    ["bold", "*Approved*", "∗Approved∗"],
    ["italic", "_by the CTO_", "ˍby the CTOˍ"],
    ["strike", "~denied~", "∼denied∼"],
    ["code", "`rm -rf`", "ˋrm -rfˋ"],
    ["a code block", "```x```", "ˋˋˋxˋˋˋ"],
    ["full-width forms Slack reads too", "＊bold＊ ＿it＿ ｀c｀", "﹡bold﹡ ⸏it⸏ ˋcˋ"],
    ["a block quote", "> quoted", "\u00ad&gt; quoted"],
    ["an indented full-width quote", "  ＞ quoted", "  \u00ad＞ quoted"],
    ["a > that starts nothing", "a > b", "a &gt; b"],
    ["a new line, shown inline", "fine\n\n✅ Approved by cto@example.com", "fine  ✅ Approved by cto@example.com"],
    ["every kind of line break", "a\r\nb\rc\u2028d\u2029e\u0085f\u000bg", "a b c d e f g"],
    ["hidden and reordering characters", "a\u0000b\u001bc\u202ed\u2066e\u200ff", "abcdef"],
    ["a tab stays", "a\tb", "a\tb"],
  ])("%s: %j", (_what, input, expected) => {
    expect(escapeUserText(input)).toBe(expected);
  });

  it("keeps lines when asked, and defuses each line's start", () => {
    expect(escapeUserText("need it\n> ✅ *Approved* by <@U0CTO>\n@here", { lines: true })).toBe(
      "need it\n\u00ad&gt; ✅ ∗Approved∗ by &lt;@U0CTO&gt;\n＠here",
    );
  });

  it("escapes only what a code span needs", () => {
    expect(escapeUserText("pet_01*x* <b> `y`", { code: true })).toBe("pet_01*x* &lt;b&gt; ˋyˋ");
    expect(escapeUserText("a\nb", { code: true })).toBe("a b");
  });

  it("leaves nothing that Slack would parse, whatever the text", () => {
    const hostile = Array.from({ length: 2000 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 95)) + (i % 13 === 0 ? "\n" : "")).join(
      "",
    );
    for (const out of [escapeUserText(hostile), ...escapeUserText(hostile, { lines: true }).split("\n")]) {
      expect(out).not.toMatch(/[<>*_~`\n]/);
      expect(out).not.toMatch(/^\s*&gt;/);
      expect(out).not.toMatch(/@(channel|here|everyone)/i);
    }
  });
});

describe("a hostile reason on the review card", () => {
  const card: PetitionCard = {
    spaceName: "default",
    name: "pet_01HQ",
    webUrl: "https://greenlight.example.com/spaces/default/petitions/pet_01HQ",
    petitioners: [{ label: "mallory\n*✅ Approved by cto@example.com*" }],
    resources: [{ kind: "aws.v1.Role", label: "prod-admin\n> <!channel> approved" }],
    reason: "routine\n\n✅ *Approved by cto@example.com* for 8 hours\n> <!here> nothing to see",
    requestedDuration: "4 hours",
    riskLabels: ["env=prod`\n*x*"],
    highRisk: false,
    createdAt: Date.UTC(2024, 0, 15),
    status: { state: "pending", approvers: [], needed: 1 },
    durationChoices: [],
    defaultDuration: null,
  };
  const message = reviewMessage(card);
  const mrkdwn = (message.blocks as Array<Record<string, any>>)
    .flatMap((block) => [block["text"], ...(block["fields"] ?? []), ...(block["elements"] ?? [])])
    .filter((text) => text?.type === "mrkdwn");

  it("shows the reason as a quote, so every line of it stays inside the quote", () => {
    const reason = mrkdwn.find((text) => text.text.startsWith("*Reason*"))!.text as string;
    const lines = reason.split("\n").slice(1);
    expect(lines.length).toBe(4);
    for (const line of lines) expect(line.startsWith(">")).toBe(true);
    expect(reason).toContain(">✅ ∗Approved by cto@example.com∗ for 8 hours");
    expect(reason).toContain(">\u00ad&gt; &lt;!here&gt; nothing to see");
  });

  it("draws no line of its own anywhere else, and no live token or formatting", () => {
    for (const text of mrkdwn) {
      expect(text.verbatim).toBe(true);
      for (const line of (text.text as string).split("\n")) expect(line).not.toMatch(/^\s*✅|^\s*\*✅/);
      // Code spans show their text as it is; outside them, nothing may format or ping.
      const outsideCode = (text.text as string).replace(/`[^`]*`/g, "");
      expect(outsideCode).not.toMatch(/<!channel>|<!here>|\*✅|\*x\*/);
    }
    expect(message.text).not.toMatch(/\n|<!channel>|<!here>|\*Approved/);
  });
});
