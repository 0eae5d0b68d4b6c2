import { createHash, webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, verifyAuditExport, type AuditCheckpoint, type AuditPublicKey } from "../../src/index.js";

/**
 * verifyAuditExport with the server's checkpoints: an unbroken, signed sequence that matches the
 * log, holds the checkpoint kept from before, and covers every event older than the delay.
 */

const T0 = Date.parse("2026-05-01T00:00:00Z");
const MINUTE = 60_000;
const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let keyPair: webcrypto.CryptoKeyPair;
let keys: { keys: AuditPublicKey[] };
beforeAll(async () => {
  keyPair = (await webcrypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  keys = { keys: [{ ...(await webcrypto.subtle.exportKey("jwk", keyPair.publicKey)), kid: "k1", alg: "EdDSA" } as AuditPublicKey] };
});

/** Export lines of `count` events, the n-th received n minutes after T0. */
function exportLines(count: number): string[] {
  const lines: string[] = [];
  let prevHash = "0".repeat(64);
  for (let seq = 1; seq <= count; seq++) {
    const receiveTime = new Date(T0 + seq * MINUTE).toISOString();
    const body = {
      seq,
      prevHash,
      id: `evt_${seq}`,
      event: "app/action",
      timestamp: receiveTime,
      actor: { kind: "user", email: "ann@example.com", labels: {} },
      resources: [],
      reason: "",
      meta: { space: "acme", labels: {} },
      provenance: { writer: "server", receiveTime },
    };
    const hash = sha256(canonicalJson(body));
    lines.push(JSON.stringify({ ...body, hash }));
    prevHash = hash;
  }
  return lines;
}

const hashAt = (lines: string[], seq: number) => (JSON.parse(lines[seq - 1]!) as { hash: string }).hash;

/** Checkpoints at `seqs`, each chained to the one before, signed as the server signs them. */
async function checkpointsAt(lines: string[], seqs: number[]): Promise<AuditCheckpoint[]> {
  const list: AuditCheckpoint[] = [];
  for (const [i, seq] of seqs.entries()) {
    const claims = {
      space: "acme",
      spaceId: "spc_1",
      seq,
      hash: hashAt(lines, seq),
      time: new Date(T0 + seq * MINUTE).toISOString(),
      index: i + 1,
      prev: list.length === 0 ? "0".repeat(64) : sha256(list.at(-1)!.jws),
    };
    const signing = `${b64url(JSON.stringify({ alg: "EdDSA", kid: "k1", typ: "greenlight-audit-checkpoint+jws" }))}.${b64url(canonicalJson(claims))}`;
    const signature = new Uint8Array(
      await webcrypto.subtle.sign({ name: "Ed25519" }, keyPair.privateKey, new TextEncoder().encode(signing)),
    );
    list.push({
      seq,
      hash: claims.hash,
      index: claims.index,
      prev: claims.prev,
      signTime: claims.time,
      kid: "k1",
      jws: `${signing}.${b64url(signature)}`,
    });
  }
  return list;
}

describe("verifyAuditExport with the server's checkpoints", () => {
  it("passes an unbroken sequence and names the newest checkpoint to keep", async () => {
    const lines = exportLines(9);
    const checkpoints = await checkpointsAt(lines, [3, 6, 9]);
    const report = await verifyAuditExport(lines, { checkpoints, keys, maxCheckpointDelayMs: 5 * MINUTE, now: T0 + 60 * MINUTE });
    expect(report).toMatchObject({ valid: true, checkedEvents: 9, checkpointsChecked: 3 });
    expect(report.latestCheckpoint?.index).toBe(3);
  });

  it("finds a checkpoint removed from the middle", async () => {
    const lines = exportLines(9);
    const [first, , third] = await checkpointsAt(lines, [3, 6, 9]);
    const report = await verifyAuditExport(lines, { checkpoints: [first!, third!], keys });
    expect(report.firstFault).toMatchObject({ seq: 9, problem: "checkpoint-missing" });
  });

  it("finds events older than the delay that the newest checkpoint left uncovered", async () => {
    const lines = exportLines(9);
    const checkpoints = (await checkpointsAt(lines, [3, 6, 9])).slice(0, 2);
    const report = await verifyAuditExport(lines, { checkpoints, keys, maxCheckpointDelayMs: 5 * MINUTE, now: T0 + 60 * MINUTE });
    expect(report.firstFault).toMatchObject({ seq: 7, problem: "uncovered" });
    const recent = await verifyAuditExport(lines, { checkpoints, keys, maxCheckpointDelayMs: 5 * MINUTE, now: T0 + 10 * MINUTE });
    expect(recent.valid).toBe(true);
  });

  it("finds a kept checkpoint the server no longer holds", async () => {
    const lines = exportLines(9);
    const checkpoints = await checkpointsAt(lines, [3, 6, 9]);
    const replaced = await checkpointsAt(lines, [4, 9]);
    const report = await verifyAuditExport(lines, { checkpoint: checkpoints[1]!, checkpoints: replaced, keys });
    expect(report.firstFault).toMatchObject({ seq: 6, problem: "checkpoint-missing" });
    expect(report.firstFault?.message).toContain("you kept");
  });

  it("does not take a checkpoint whose signature is not the server's", async () => {
    const lines = exportLines(6);
    const [first, second] = await checkpointsAt(lines, [3, 6]);
    const forged = { ...second!, jws: `${second!.jws.slice(0, -4)}AAAA` };
    const report = await verifyAuditExport(lines, { checkpoints: [first!, forged], keys });
    expect(report.firstFault).toMatchObject({ seq: 6, problem: "checkpoint-mismatch" });
  });
});
