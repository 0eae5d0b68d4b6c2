import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { operationHash, operationRequest, ReceiptError, verifyReceipt } from "../../src/index.js";
import { operationHash as serverOperationHash, operationOf } from "../../../server/src/domain/agents.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("operationHash", () => {
  it("is the SHA-256 of the canonical JSON of {tool, arguments}, whatever the order of keys", async () => {
    const expected = sha256('{"arguments":{"a":1,"b":[true,null,"x"]},"tool":"t"}');
    expect(await operationHash({ tool: "t", arguments: { b: [true, null, "x"], a: 1 } })).toBe(expected);
    expect(await operationHash({ tool: "t", arguments: { a: 1, b: [true, null, "x"] } })).toBe(expected);
    expect(await operationHash({ tool: "u", arguments: { a: 1, b: [true, null, "x"] } })).not.toBe(expected);
  });

  it("matches what the server records from the labels operationRequest sends", async () => {
    const operation = { tool: "deploy", arguments: { service: "api", replicas: 3, at: undefined, nested: { z: 1, a: [1, 2] } } };
    const { labels, resources } = await operationRequest(operation);
    const recorded = operationOf(labels)!;
    expect(recorded.sha256).toBe(await operationHash(operation));
    expect(recorded.arguments).toBe(labels["greenlight.dev/arguments"]);
    expect(serverOperationHash("deploy", JSON.parse(labels["greenlight.dev/arguments"]!))).toBe(await operationHash(operation));
    expect(resources[0]!.id).toMatch(/^deploy:[0-9a-f]{32}$/);
  });
});

describe("verifyReceipt refuses what is not a receipt", () => {
  const options = { keys: { keys: [] }, space: "s", tool: "t", arguments: {} };
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  it.each([
    ["not a JWT", "abc", "malformed"],
    ["a header that is not JSON", `${Buffer.from("nope").toString("base64url")}.${b64({})}.sig`, "malformed"],
    ["an access token", `${b64({ alg: "ES256", typ: "at+jwt" })}.${b64({})}.sig`, "wrong-type"],
    ["unsigned", `${b64({ alg: "none", typ: "greenlight-receipt+jwt" })}.${b64({})}.`, "wrong-type"],
    ["a key not in the set", `${b64({ alg: "ES256", typ: "greenlight-receipt+jwt", kid: "k" })}.${b64({})}.sig`, "unknown-key"],
  ])("%s", async (_what, token, reason) => {
    const error = await verifyReceipt(token, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReceiptError);
    expect((error as ReceiptError).reason).toBe(reason);
  });
});
