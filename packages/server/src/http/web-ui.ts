import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The web UI, built by `packages/web` into this package's `web/` directory, served at `/`:
 * its files, and `index.html` for any other page a browser asks for (the UI routes itself).
 * Hashed assets are cached for good; the page itself never is, so a new build is seen at once.
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
    setHeaders: (res, path) => {
      res.setHeader("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-store");
      res.setHeader("x-content-type-options", "nosniff");
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
    .header("cache-control", "no-store")
    .header(
      "content-security-policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    .header("x-frame-options", "DENY")
    .sendFile("index.html");
}
