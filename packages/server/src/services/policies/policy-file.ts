import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { isDomainError } from "../../domain/errors.js";
import type { Services } from "../runtime/context.js";
import { enterSpace } from "../identity/enter-space.js";
import { putPolicy } from "./manage-policies.js";

/**
 * Applies a policy file (YAML, or JSON, which is YAML too) to a space at start: policy as code,
 * kept in a repository and deployed with the server. A file equal to the policy in force
 * changes nothing; otherwise it becomes the next version. Returns that version, or null when
 * nothing changed. A file that is not a valid policy stops the start, naming the line.
 */
export async function applyPolicyFile(services: Services, spaceName: string, path: string): Promise<number | null> {
  const text = readFileSync(path, "utf8");
  const { document, locate } = parsePolicyText(text, path);
  const ctx = await enterSpace({
    ctx: { ...services, actor: { type: "system", job: "policy-file" }, requestId: "policy-file" },
    spaceName,
  });
  const current = await services.store.read.policies.current(ctx.space.id);
  if (current && canonical(current.document) === canonical(document)) return null;
  try {
    return (await putPolicy({ ctx, document, actorLabel: `file:${path}` })).version;
  } catch (error) {
    if (isDomainError(error) && error.field !== undefined)
      throw new Error(`${path}:${locate(error.field)}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Parses YAML or JSON, and finds the line and column of a path such as `rules[2].match`. */
export function parsePolicyText(text: string, path: string): { document: unknown; locate: (field: string) => string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) {
    const at = problem.linePos?.[0];
    throw new Error(`${path}:${at ? `${at.line}:${at.col}` : "?"}: not valid YAML: ${problem.message.split("\n")[0]}`);
  }
  const locate = (field: string): string => {
    const keys = field.match(/[^.[\]]+/g) ?? [];
    for (let n = keys.length; n > 0; n--) {
      const node = doc.getIn(
        keys.slice(0, n).map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
        true,
      ) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return `${line}:${col}`;
      }
    }
    return "1:1";
  };
  return { document: doc.toJS() as unknown, locate };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
