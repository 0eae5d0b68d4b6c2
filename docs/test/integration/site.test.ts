import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import config from "../../.vitepress/config.js";

/**
 * The documentation site builds (VitePress refuses a link to a page that does not exist), and
 * every link in the built site reaches a page and, when it names one, an anchor on it; the
 * Markdown files people read on the repository's host link only to files that exist.
 */

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOCS = join(ROOT, "docs");
const VITEPRESS = join(ROOT, "node_modules/vitepress/bin/vitepress.js");

let out: string;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "greenlight-docs-"));
  await promisify(execFile)(process.execPath, [VITEPRESS, "build", DOCS, "--outDir", out], { cwd: ROOT });
}, 120_000);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

function filesUnder(dir: string, accept: (path: string) => boolean, skip: (path: string) => boolean = () => false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (skip(path)) return [];
    if (entry.isDirectory()) return filesUnder(path, accept, skip);
    return accept(path) ? [path] : [];
  });
}

const ids = new Map<string, Set<string>>();

/** The ids a built page's anchors can point at, read once per page. */
function idsOf(file: string): Set<string> {
  let found = ids.get(file);
  if (!found) {
    found = new Set([...readFileSync(file, "utf8").matchAll(/\sid="([^"]+)"/g)].map((m) => decodeHtml(m[1]!)));
    ids.set(file, found);
  }
  return found;
}

function decodeHtml(text: string): string {
  return text
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/** Where a site link lands: the built file and the anchor, or null when it leaves the site. */
function target(fromPage: string, href: string): { file: string; anchor: string } | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return null;
  const [pathPart, anchor = ""] = decodeHtml(href).split("#", 2) as [string, string?];
  const path = pathPart === "" ? fromPage : pathPart.startsWith("/") ? join(out, pathPart) : resolve(dirname(fromPage), pathPart);
  const file = pathPart.endsWith("/") ? join(path, "index.html") : existsSync(path) ? path : `${path}.html`;
  return { file, anchor: decodeURIComponent(anchor) };
}

describe("the documentation site", () => {
  it("links only to pages and anchors that exist", () => {
    const pages = filesUnder(out, (p) => p.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(20);
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const html = readFileSync(page, "utf8");
      const links = [...html.matchAll(/<a\s[^>]*?href="([^"]*)"/g), ...html.matchAll(/<img\s[^>]*?src="([^"]*)"/g)].map((m) => m[1]!);
      for (const href of links) {
        const to = target(page, href);
        if (!to) continue;
        checked += 1;
        const where = `${relative(out, page)} → ${href}`;
        if (!existsSync(to.file)) broken.push(`${where}: no such page`);
        else if (to.anchor !== "" && to.file.endsWith(".html") && !idsOf(to.file).has(to.anchor)) broken.push(`${where}: no such anchor`);
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(broken).toEqual([]);
  });

  it("shows every page in the sidebar, and every sidebar entry is a page", () => {
    const sources = filesUnder(
      DOCS,
      (p) => p.endsWith(".md"),
      (p) => /\/(node_modules|\.vitepress|test|generate)$/.test(p),
    )
      .map((p) => `/${relative(DOCS, p).replace(/\.md$/, "")}`)
      .filter((p) => p !== "/index");
    const sidebar = (config.themeConfig?.sidebar as Array<{ items: Array<{ link: string }> }>).flatMap((group) =>
      group.items.map((item) => item.link),
    );
    expect([...sidebar].sort()).toEqual([...sources].sort());
  });

  it("renders the generated references and the included code", () => {
    const shows = (page: string, text: string) =>
      expect(readFileSync(join(out, page), "utf8").includes(text), `${page} shows ${text}`).toBe(true);
    shows("reference/api.html", "/v1/spaces/{space}/petitions/{petition}/claims");
    shows("reference/cli.html", "greenlight petitions approve");
    shows("reference/configuration.html", "GREENLIGHT_SECRET_KEY_PREVIOUS");
    // Code shown from the repository's files: a missing file would render an error instead.
    shows("quickstart.html", "resetPassword");
    shows("guides/slack.html", "chat:write.public");
  });
});

describe("the Markdown read on the repository's host", () => {
  const markdown = [
    join(ROOT, "README.md"),
    join(ROOT, "SECURITY.md"),
    ...filesUnder(
      join(ROOT, "packages"),
      (p) => p.endsWith("README.md"),
      (p) => /node_modules|dist$/.test(p),
    ),
    ...filesUnder(
      DOCS,
      (p) => p.endsWith(".md"),
      (p) => /\/(\.vitepress|node_modules)$/.test(p),
    ),
  ];

  it("links only to files that exist", () => {
    const broken: string[] = [];
    for (const file of markdown) {
      const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
      for (const [, href] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(href!) || href!.startsWith("#")) continue;
        const path = href!.split("#")[0]!;
        // Site links (VitePress resolves /guides/x to guides/x.md).
        const resolved = path.startsWith("/") ? join(DOCS, path) : resolve(dirname(file), path);
        if (![resolved, `${resolved}.md`].some((p) => existsSync(p))) broken.push(`${relative(ROOT, file)} → ${href}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
