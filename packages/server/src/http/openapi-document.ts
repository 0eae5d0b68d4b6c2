import type { Services } from "../services/runtime/context.js";
import { buildApp } from "./app.js";

/**
 * The document /openapi.json serves, built from the routes alone: no database, no port. The
 * SDK's types are generated from it (`npm run api-types`), and its unit test builds it to
 * check that the committed types are current.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const app = await buildApp({
    services: NO_SERVICES,
    logger: false,
    maxBodyBytes: 1024,
    rateLimits: { perCallerPerMinute: 0, authFailuresPerMinute: 0, exchangesPerMinute: 0 },
    trustProxy: false,
    wait: { defaultMs: 0, maxMs: 0 },
    shutdown: new AbortController().signal,
    // A fixed version: the document describes the contract, whatever the release.
    version: "0.0.0",
    signIn: { oidc: null, sessionTtlMs: 0 },
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

/** Routes are registered, never called, so no service may be reached: any use of one is a mistake here. */
const NO_SERVICES = new Proxy({} as Services, {
  get: (_target, name) =>
    // Registering the routes reads none of these; the metrics keep a reference for later.
    name === "store" ? undefined : unavailable(String(name)),
});

function unavailable(name: string): never {
  throw new Error(`the OpenAPI document is built without services, but ${name} was asked for`);
}
