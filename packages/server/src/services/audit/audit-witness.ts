import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** The newest checkpoint of a chain a server has signed or seen. */
export interface WitnessedCheckpoint {
  seq: number;
  index: number;
  digest: string;
}

/**
 * This server as a witness of its own checkpoints: the newest of each chain it has signed or
 * seen, kept in memory and in a file beside the data (`audit-witness.json`), outside the
 * database. Someone who rewrites a chain in the database and deletes the checkpoints that
 * would give it away cannot make the server forget them: verification reports them missing,
 * and the checkpoint job will not sign over the gap. Restoring the database from a backup
 * looks the same, so after a restore the file is removed by hand.
 */
export class CheckpointWitness {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly seen: Map<string, WitnessedCheckpoint>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Reads what was witnessed before; a missing file is a server that has seen nothing yet. */
  static async open(file: string, onError: (error: unknown) => void): Promise<CheckpointWitness> {
    let chains: Record<string, WitnessedCheckpoint> = {};
    try {
      chains = (JSON.parse(await readFile(file, "utf8")) as { chains: Record<string, WitnessedCheckpoint> }).chains;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        throw new Error(`${file} cannot be read (${(error as Error).message}); it holds the audit checkpoints this server has seen`, {
          cause: error,
        });
    }
    return new CheckpointWitness(file, new Map(Object.entries(chains)), onError);
  }

  get(chainId: string): WitnessedCheckpoint | undefined {
    return this.seen.get(chainId);
  }

  /** Remembers `checkpoint` if it is newer than the one the chain had. */
  async see(chainId: string, checkpoint: WitnessedCheckpoint): Promise<void> {
    const known = this.seen.get(chainId);
    if (known && known.index >= checkpoint.index) return;
    this.seen.set(chainId, checkpoint);
    // One write at a time, each of the whole map, replacing the file in one rename.
    const snapshot = JSON.stringify({ chains: Object.fromEntries(this.seen) });
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(dirname(this.file), { recursive: true });
        await writeFile(`${this.file}.tmp`, snapshot, { mode: 0o600 });
        await rename(`${this.file}.tmp`, this.file);
      } catch (error) {
        this.onError(error);
      }
    });
    await this.writing;
  }
}
