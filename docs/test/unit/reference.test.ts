import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT } from "../../../packages/server/src/config.js";
import { openApiDocument } from "../../../packages/server/src/http/openapi-document.js";
import { renderApiReference, HTTP_METHODS, type OpenApiDocument } from "../../generate/api.js";
import { commandPaths, renderCliReference } from "../../generate/cli.js";
import { renderConfigurationReference } from "../../generate/configuration.js";
import { REGENERATE } from "../../generate/markdown.js";

/**
 * The reference pages under docs/reference/ are generated from the code's own definitions: the
 * server's OpenAPI document, the CLI's commands and the server's table of environment variables.
 * Each test renders its page again and compares it with the committed one;
 * `npm run docs:reference` writes them.
 */

const document = (await openApiDocument()) as unknown as OpenApiDocument;
const PAGES = {
  "api.md": () => renderApiReference(document),
  "cli.md": () => renderCliReference(),
  "configuration.md": () => renderConfigurationReference(),
};

/**
 * The page as prettier writes it. Paragraphs are one line each already; with `proseWrap: "never"`
 * a table wider than the print width is left compact rather than padded to align, which keeps
 * the schema tables from doubling the page's size.
 */
async function formatted(file: string, markdown: string): Promise<string> {
  const options = await prettier.resolveConfig(file);
  return prettier.format(markdown, { ...options, proseWrap: "never", filepath: file });
}

async function committedPage(name: keyof typeof PAGES): Promise<string> {
  const file = fileURLToPath(new URL(`../../reference/${name}`, import.meta.url));
  const generated = await formatted(file, PAGES[name]());
  if (process.env.GREENLIGHT_WRITE_DOCS_REFERENCE === "1") writeFileSync(file, generated);
  const committed = existsSync(file) ? readFileSync(file, "utf8") : "";
  expect(committed === generated, `docs/reference/${name} is stale: run \`${REGENERATE}\` and commit it`).toBe(true);
  return committed;
}

/** The explicit anchors of a page's headings, and the targets of its links within the page. */
function anchorsAndLinks(markdown: string): { anchors: string[]; links: string[] } {
  return {
    anchors: [...markdown.matchAll(/^#{1,6} .* \{#([a-z0-9-]+)\}$/gm)].map((match) => match[1]!),
    links: [...markdown.matchAll(/\]\(#([^)]*)\)/g)].map((match) => match[1]!),
  };
}

function expectSafeForVitePress(markdown: string): void {
  const { anchors, links } = anchorsAndLinks(markdown);
  expect(new Set(anchors).size, "no anchor is given twice").toBe(anchors.length);
  expect(
    links.filter((target) => !anchors.includes(target)),
    "links to anchors the page does not have",
  ).toEqual([]);
  const [before, body = ""] = markdown.split(/^::: v-pre$/m);
  expect(body.trimEnd().endsWith(":::"), "the body is one v-pre container").toBe(true);
  // Outside code, text from the code has its angle brackets and braces escaped.
  const prose = (before + body).replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  const stray = prose.split("\n").filter((line) => !line.startsWith("<!--") && /[<>]|\{(?!#[a-z0-9-]+\}$)/.test(line));
  expect(stray, "angle brackets or braces outside code").toEqual([]);
}

describe("docs/reference/api.md", () => {
  it(`is what the server's OpenAPI document generates (else run \`${REGENERATE}\`)`, async () => {
    const page = await committedPage("api.md");
    expectSafeForVitePress(page);
  }, 30_000);

  it("has every operation of the document once, under a heading of its own", () => {
    const page = renderApiReference(document);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => HTTP_METHODS.includes(key))
        .map((method) => `### ${method.toUpperCase()} \`${path}\``),
    );
    expect(operations.length).toBeGreaterThan(100);
    const headings = page.split("\n").filter((line) => /^### [A-Z]+ `/.test(line));
    expect(headings.map((line) => line.replace(/ \{#[a-z0-9-]+\}$/, "")).sort()).toEqual(operations.sort());
    expect(page).toContain("\n### GET `/v1/spaces/{space}/petitions/{petition}` {#get-v1-spaces-space-petitions-petition}\n");
  });

  it("gives every component schema an anchor, and puts petitions first", () => {
    const { anchors } = anchorsAndLinks(renderApiReference(document));
    for (const name of Object.keys(document.components?.schemas ?? {})) expect(anchors).toContain(`schema-${name.toLowerCase()}`);
    expect(anchors.filter((anchor) => ["petitions", "grants", "resources", "schemas"].includes(anchor))).toEqual([
      "petitions",
      "grants",
      "resources",
      "schemas",
    ]);
  });
});

describe("docs/reference/cli.md", () => {
  it(`is what the CLI's commands generate (else run \`${REGENERATE}\`)`, async () => {
    const page = await committedPage("cli.md");
    expectSafeForVitePress(page);
  }, 30_000);

  it("has a section for every command and subcommand, and the global options once", () => {
    const page = renderCliReference();
    const paths = commandPaths();
    expect(paths).toEqual(expect.arrayContaining(["greenlight serve", "greenlight petitions approve", "greenlight sign-in-link"]));
    expect(paths).not.toContain("greenlight help");
    for (const path of paths) {
      const anchor = path.split(" ").slice(1).join("-");
      expect(page, path).toMatch(new RegExp(`^#{2,6} ${path} \\{#${anchor}\\}$`, "m"));
    }
    expect(page.match(/^\| `--token <token>` \|/gm)).toHaveLength(1);
  });
});

describe("docs/reference/configuration.md", () => {
  it(`is what the server's table of environment variables generates (else run \`${REGENERATE}\`)`, async () => {
    const page = await committedPage("configuration.md");
    expectSafeForVitePress(page);
  }, 30_000);

  it("lists every variable the server reads, with its default", () => {
    const page = renderConfigurationReference();
    for (const [name, variable] of Object.entries(ENVIRONMENT)) {
      const section = page.split(/^### /m).find((part) => part.startsWith(`${name} {#`));
      expect(section, name).toBeDefined();
      expect(section).toContain(variable.default === "" ? "Default: (none)" : `Default: \`${variable.default}\``);
    }
  });

  it("lists a variable in no group under Other, rather than leave it out", () => {
    const page = renderConfigurationReference({ ...ENVIRONMENT, GREENLIGHT_SOMETHING_NEW: { default: "", help: "a new setting" } });
    expect(page).toMatch(/^## Other \{#other\}\n\n### GREENLIGHT_SOMETHING_NEW \{#greenlight-something-new\}$/m);
  });
});
