import { describe, expect, it } from "vitest";
import { AUTH, SPACE, startTestServer } from "./harness.js";

const wrong = { authorization: "Bearer not-the-token-at-all" };

describe("rate limits", () => {
  it("answers 429 with Retry-After once a caller passes its requests per minute", async () => {
    const t = await startTestServer({ env: { GREENLIGHT_RATE_LIMIT: "5" } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await t.fetch("GET", `${SPACE}/petitions`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const limited = await t.fetch("GET", `${SPACE}/resources`);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe("RATE_LIMITED");
      expect(limited.body.error.message).toMatch(/at most 5 a minute/);
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      // Health checks and the API description are never limited.
      expect((await t.fetch("GET", "/healthz")).status).toBe(200);
      expect((await t.fetch("GET", "/openapi.json")).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it("refuses an address that keeps failing to authenticate, even once it guesses right", async () => {
    const t = await startTestServer({ env: { GREENLIGHT_AUTH_FAILURE_LIMIT: "3" } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await t.fetch("GET", `${SPACE}/petitions`, undefined, wrong)).status);
      expect(statuses).toEqual([401, 401, 401]);
      const blocked = await t.fetch("GET", `${SPACE}/petitions`, undefined, AUTH);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe("RATE_LIMITED");
      expect(blocked.body.error.message).toMatch(/failed authentications/);
      expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it("does not count successful requests as failures", async () => {
    const t = await startTestServer({ env: { GREENLIGHT_AUTH_FAILURE_LIMIT: "2" } });
    try {
      for (let i = 0; i < 10; i++) expect((await t.fetch("GET", `${SPACE}/petitions`)).status).toBe(200);
      expect((await t.fetch("GET", `${SPACE}/petitions`, undefined, wrong)).status).toBe(401);
      expect((await t.fetch("GET", `${SPACE}/petitions`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
