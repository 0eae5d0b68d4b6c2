import { describe, expect, it } from "vitest";
import {
  auditBody,
  canonicalJson,
  ChainVerifier,
  GENESIS_HASH,
  hashAuditText,
  PRUNED_BASE_LABEL,
  type AuditEntry,
  type StoredAuditRow,
} from "../../src/domain/audit.js";
import {
  CheckpointSequence,
  checkpointDigest,
  FIRST_CHECKPOINT_PREV,
  maxCheckpointDelay,
  type SignedCheckpoint,
} from "../../src/domain/audit-checkpoint.js";

const T0 = Date.parse("2026-05-01T00:00:00Z");

function entry(event: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `evt_${event}`,
    event,
    actor: { kind: "user", email: "ann@example.com", labels: {} },
    resources: [],
    reason: "",
    timestamp: T0,
    labels: {},
    requestId: "req_1",
    ...extra,
  };
}

/** A chain of `entries` as the store keeps it, the n-th received at `receivedAt(n)`. */
function chainOf(entries: AuditEntry[], receivedAt: (seq: number) => number = () => T0): StoredAuditRow[] {
  let prevHash = GENESIS_HASH;
  return entries.map((e, i) => {
    const seq = i + 1;
    const body = auditBody(e, "acme", seq, prevHash, receivedAt(seq));
    const text = canonicalJson(body);
    const row: StoredAuditRow = {
      seq,
      hash: hashAuditText(text),
      prevHash,
      event: e.event,
      writer: body.provenance!.writer,
      receivedAt: receivedAt(seq),
      body: text,
    };
    prevHash = row.hash;
    return row;
  });
}

function verify(rows: StoredAuditRow[], verifier = new ChainVerifier({ seq: rows[0]!.seq, prevHash: rows[0]!.prevHash })) {
  for (const row of rows) if (!verifier.push(row)) break;
  const last = rows[rows.length - 1]!;
  return verifier.finish({ seq: last.seq, hash: last.hash });
}

describe("provenance in the chain", () => {
  it("is set by the server on every event and hashed with it", () => {
    const [server, input] = chainOf([entry("a"), entry("b", { input: "app/prod" })], (seq) => T0 + seq * 1000);
    expect(JSON.parse(server!.body).provenance).toEqual({ writer: "server", receiveTime: "2026-05-01T00:00:01.000Z" });
    expect(JSON.parse(input!.body).provenance).toEqual({ writer: "input", input: "app/prod", receiveTime: "2026-05-01T00:00:02.000Z" });
  });

  it.each([
    ["writer", { writer: "server" as const }],
    ["receive time", { receivedAt: T0 - 1 }],
  ])("a %s column that differs from the body is an alteration", (_what, change) => {
    const rows = chainOf([entry("a"), entry("b", { input: "app/prod" }), entry("c")]);
    rows[1] = { ...rows[1]!, ...change };
    expect(verify(rows)).toMatchObject({ seq: 2, problem: "altered" });
  });
});

describe("coverage by checkpoints", () => {
  const rows = chainOf([entry("a"), entry("b"), entry("c"), entry("d")], (seq) => T0 + seq * 60_000);

  it("an event received before the deadline and after the newest checkpoint is uncovered", () => {
    const verifier = new ChainVerifier({ seq: 1, prevHash: GENESIS_HASH }, [], { afterSeq: 2, receivedBefore: T0 + 4 * 60_000 });
    expect(verify(rows, verifier)).toMatchObject({ seq: 3, problem: "uncovered" });
  });

  it("events the newest checkpoint covers, and recent ones, are fine", () => {
    const verifier = new ChainVerifier({ seq: 1, prevHash: GENESIS_HASH }, [], { afterSeq: 3, receivedBefore: T0 + 4 * 60_000 });
    expect(verify(rows, verifier)).toBeUndefined();
  });

  it("allows twice the interval and a minute", () => {
    expect(maxCheckpointDelay(5 * 60_000)).toBe(11 * 60_000);
  });
});

describe("removal from the start", () => {
  const pruned = (base: number) =>
    entry("audit/pruned", {
      actor: { kind: "greenlight.v1.System", id: "audit", labels: {} },
      labels: { [PRUNED_BASE_LABEL]: String(base) },
    });

  it("is accepted where the server's newest record of pruning says the chain starts", () => {
    const rows = chainOf([entry("a"), entry("b"), entry("c"), pruned(3), entry("e")]).slice(2);
    expect(verify(rows)).toBeUndefined();
  });

  it("is caught without such a record, or when an input wrote it", () => {
    const none = chainOf([entry("a"), entry("b"), entry("c"), entry("d")]).slice(2);
    expect(verify(none)).toMatchObject({ seq: 2, problem: "missing" });
    const byInput = chainOf([entry("a"), entry("b"), entry("c"), { ...pruned(3), input: "app/prod" }]).slice(2);
    expect(verify(byInput)).toMatchObject({ seq: 2, problem: "missing" });
    const elsewhere = chainOf([entry("a"), entry("b"), entry("c"), pruned(2)]).slice(2);
    expect(verify(elsewhere)).toMatchObject({ seq: 2, problem: "missing" });
  });
});

describe("the sequence of checkpoints", () => {
  /** `count` checkpoints, each chained to the one before, at seq 10, 20, … */
  function checkpoints(count: number): SignedCheckpoint[] {
    const list: SignedCheckpoint[] = [];
    for (let index = 1; index <= count; index++) {
      const claims = {
        space: "acme",
        spaceId: "spc_1",
        seq: index * 10,
        hash: String(index).repeat(64).slice(0, 64),
        time: new Date(T0 + index).toISOString(),
        index,
        prev: list.at(-1)?.digest ?? FIRST_CHECKPOINT_PREV,
      };
      list.push({ claims, digest: checkpointDigest(`jws-${index}`) });
    }
    return list;
  }
  const walk = (list: SignedCheckpoint[]) => {
    const sequence = new CheckpointSequence();
    for (const c of list) if (!sequence.push(c)) break;
    return sequence;
  };

  it("an unbroken sequence passes and names its newest", () => {
    const sequence = walk(checkpoints(4));
    expect(sequence.firstFault).toBeUndefined();
    expect(sequence.latest?.claims.index).toBe(4);
  });

  it.each([
    ["the first", 0, 20],
    ["one in the middle", 1, 30],
    ["two in the middle", 1, 40, 2],
  ])("a gap where %s was is a missing checkpoint", (_what, from, at, count = 1) => {
    const list = checkpoints(5);
    list.splice(from, count);
    expect(walk(list).firstFault).toMatchObject({ seq: at, problem: "checkpoint-missing" });
  });

  it("a checkpoint that names another predecessor does not follow", () => {
    const list = checkpoints(3);
    list[2] = { ...list[2]!, claims: { ...list[2]!.claims, prev: checkpointDigest("jws-forged") } };
    expect(walk(list).firstFault).toMatchObject({ seq: 30, problem: "checkpoint-missing" });
  });
});
