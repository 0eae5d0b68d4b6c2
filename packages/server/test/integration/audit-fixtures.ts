import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { TestServer } from "./harness.js";
import { bearer } from "./identity-fixtures.js";
import { openServerDatabase } from "./server-database.js";

/** Sorted keys, no whitespace: the canonical JSON the chain hashes, written again here from the documentation. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

/** An input of `space` and a way to write `count` events through it. */
export async function auditWriter(server: TestServer, space: string, provider = "app") {
  const input = await server.call("POST", `/v1/spaces/${space}/auditInputs`, { input: { provider, name: "load" } });
  expect(input.status).toBe(201);
  return async (count: number) => {
    for (let done = 0; done < count;) {
      const n = Math.min(1000, count - done);
      const events = Array.from({ length: n }, (_, i) => ({
        event: "app/action",
        actor: { kind: "user", email: `user${(done + i) % 50}@example.com` },
        resources: [{ kind: "app.v1.Document", id: `doc-${done + i}` }],
        reason: `action ${done + i}`,
      }));
      const reply = await server.call("POST", `/v1/inputs/${space}/${provider}/load:writeBatch`, { events }, bearer(input.body.token));
      expect(reply.status, JSON.stringify(reply.body).slice(0, 200)).toBe(200);
      done += n;
    }
  };
}

/**
 * What someone who can write the database does to hide an event: edits event `seq` of the
 * space's chain, recomputes the hash of every event from there on and the chain's head, and
 * deletes every checkpoint that would give it away (or, with `"none"`, leaves them).
 */
export async function rewriteChain(
  server: TestServer,
  space: string,
  options: { seq: number; deleteCheckpoints: "all" | "none" },
): Promise<void> {
  const db = await openServerDatabase(server);
  try {
    const [{ id }] = (await db.all<{ id: string }>("SELECT id FROM spaces WHERE name = ?", [space])) as [{ id: string }];
    const rows = await db.all<{ seq: string | number; body: string }>(
      "SELECT seq, body FROM audit_events WHERE space_id = ? AND seq >= ? ORDER BY seq",
      [id, options.seq],
    );
    const [before] = await db.all<{ hash: string }>("SELECT hash FROM audit_events WHERE space_id = ? AND seq = ?", [id, options.seq - 1]);
    let prev = before!.hash;
    for (const row of rows) {
      const body = JSON.parse(row.body);
      if (Number(row.seq) === options.seq) body.reason = "nothing to see here";
      body.prevHash = prev;
      const text = canonical(body);
      const hash = createHash("sha256").update(text).digest("hex");
      await db.run("UPDATE audit_events SET body = ?, prev_hash = ?, hash = ? WHERE space_id = ? AND seq = ?", [
        text,
        prev,
        hash,
        id,
        Number(row.seq),
      ]);
      prev = hash;
    }
    await db.run("UPDATE audit_chains SET head_hash = ? WHERE space_id = ?", [prev, id]);
    if (options.deleteCheckpoints === "all") {
      await db.run("DELETE FROM audit_checkpoints WHERE space_id = ?", [id]);
      await db.run("UPDATE audit_chains SET checkpoint_seq = 0 WHERE space_id = ?", [id]);
    }
  } finally {
    await db.close();
  }
}

/** Deletes one of the space's checkpoint rows, by its position in the chain. */
export async function deleteCheckpoint(server: TestServer, space: string, seq: number): Promise<void> {
  const db = await openServerDatabase(server);
  try {
    const [{ id }] = (await db.all<{ id: string }>("SELECT id FROM spaces WHERE name = ?", [space])) as [{ id: string }];
    await db.run("DELETE FROM audit_checkpoints WHERE space_id = ? AND seq = ?", [id, seq]);
  } finally {
    await db.close();
  }
}
