import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The web UI, built by `packages/web` into this package's `web/` directory, served at `/`:
 * its files, and `index.html` for any other page a browser asks for (the UI routes itself).
 * Each file is sent as the build compressed it (`.br`, `.gz` beside it) when the browser
 * accepts that encoding. Hashed assets are cached for good; the page itself is asked again
 * each time (`no-cache`), so a new build is seen at once.
 */
const WEB_ROOT = fileURLToPath(new URL("../../web/", import.meta.url));

export function webUiBuilt(): boolean {
  return existsSync(`${WEB_ROOT}index.html`);
}

export async function serveWebUi(app: FastifyInstance): Promise<void> {
  if (!webUiBuilt()) return;
  // Only `reply.sendFile` (which keeps paths inside the root): the routes are ours, public.
  await app.register(fastifyStatic, {
    root: WEB_ROOT,
    serve: false,
    preCompressed: true,
    // Ours, below: `send`'s own Cache-Control would replace them.
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
      res.setHeader("x-content-type-options", "nosniff");
      // The same address answers brotli, gzip or neither: caches keep one per encoding.
      res.setHeader("vary", "accept-encoding");
    },
  });
  const page = { config: { public: true }, schema: { hide: true } };
  app.get("/", page, (_request, reply) => sendPage(reply));
  app.get<{ Params: { "*": string } }>("/assets/*", page, (request, reply) => reply.sendFile(`assets/${request.params["*"]}`));
}

/** Whether a request that matched no route is a browser asking for a page of the UI. */
export function isPageRequest(request: FastifyRequest): boolean {
  if (request.method !== "GET" || !webUiBuilt()) return false;
  const path = request.url.split("?")[0]!;
  if (path.startsWith("/v1/") || path.startsWith("/auth/") || path.startsWith("/assets/")) return false;
  return (request.headers.accept ?? "").includes("text/html");
}

export function sendPage(reply: FastifyReply): FastifyReply {
  return reply
    .header("cache-control", "no-cache")
    .header(
      "content-security-policy",
      `default-src 'self'; img-src 'self' data:; style-src ${["'self'", ...inlineStyleHashes()].join(" ")}; frame-ancestors 'none'; base-uri 'none'`,
    )
    .header("x-frame-options", "DENY")
    .sendFile("index.html");
}

let known: { mtimeMs: number; hashes: string[] } | undefined;

/**
 * The page's own inline styles (the shell shown before the bundle loads), allowed by their
 * hashes and nothing else inline. Read again when a new build replaced the page.
 */
function inlineStyleHashes(): string[] {
  const path = `${WEB_ROOT}index.html`;
  const { mtimeMs } = statSync(path);
  if (known?.mtimeMs !== mtimeMs) {
    const html = readFileSync(path, "utf8");
    const hashes = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
      ([, css]) => `'sha256-${createHash("sha256").update(css!).digest("base64")}'`,
    );
    known = { mtimeMs, hashes };
  }
  return known.hashes;
}
