import type { AuditCheckpoint, AuditPublicKey } from "@greenlight/sdk";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { configPath } from "./settings.js";

/** What `audit verify --offline` keeps of a space's log between runs: the newest checkpoint it verified, and the keys. */
export interface KeptCheckpoint {
  checkpoint: AuditCheckpoint;
  keys: { keys: AuditPublicKey[] };
}

/**
 * `audit-checkpoints.json` beside the CLI's config: per server and space, the newest checkpoint
 * `audit verify --offline` verified. The next run's log and checkpoints must still hold it, so
 * a chain rewritten and re-signed since (or its checkpoints removed) is caught even when the
 * server's own check is satisfied, as a transparency-log client holds the last tree head it saw.
 */
function keptPath(): string {
  return join(dirname(configPath()), "audit-checkpoints.json");
}

function readAll(): Record<string, KeptCheckpoint> {
  try {
    return JSON.parse(readFileSync(keptPath(), "utf8")) as Record<string, KeptCheckpoint>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`could not read ${keptPath()}: ${(error as Error).message}; it holds the audit checkpoints verified before`, {
      cause: error,
    });
  }
}

const keyOf = (server: string, space: string) => `${server.replace(/\/+$/, "")} ${space}`;

export function loadKept(server: string, space: string): KeptCheckpoint | undefined {
  return readAll()[keyOf(server, space)];
}

/** Keeps `kept` for the space, unless a later checkpoint is kept already. */
export function saveKept(server: string, space: string, kept: KeptCheckpoint): void {
  const all = readAll();
  const known = all[keyOf(server, space)];
  if (known && known.checkpoint.seq >= kept.checkpoint.seq) return;
  all[keyOf(server, space)] = kept;
  mkdirSync(dirname(keptPath()), { recursive: true, mode: 0o700 });
  writeFileSync(keptPath(), `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
}
