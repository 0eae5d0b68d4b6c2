import { expect } from "vitest";
import type { Reply } from "./harness.js";

/**
 * Checks an error reply is the one envelope every failure uses, `{error: {code, message,
 * requestId}}` as JSON, and that its requestId is the one in the `x-request-id` header.
 */
export function expectEnvelope(reply: Reply, status: number, code: string): void {
  const context = JSON.stringify(reply.body).slice(0, 300);
  expect(reply.status, context).toBe(status);
  expect(String(reply.headers["content-type"]), context).toMatch(/^application\/json/);
  expect(Object.keys(reply.body), context).toEqual(["error"]);
  expect(reply.body.error.code, context).toBe(code);
  expect(typeof reply.body.error.message).toBe("string");
  expect(reply.body.error.message.length).toBeGreaterThan(0);
  expect(reply.body.error.requestId).toMatch(/^req_[0-9a-z]{26}$/);
  expect(reply.headers["x-request-id"]).toBe(reply.body.error.requestId);
}
