import { GreenlightError, type GreenlightAPI, type Petition } from "@greenlight/sdk";
import { problemOf } from "../problem.js";
import { needsStepUp } from "../step-up.js";
import { INDEFINITE, durationChoices } from "./durations.js";
import { refusalOf, requestName } from "./words.js";

/** What one decision of a bulk came to. */
export interface Outcome {
  petition: Petition;
  ok: boolean;
  /** Why not, in words. */
  why?: string;
}

/**
 * Approves or denies each petition with a claim of its own (one `access/approve` or
 * `access/deny` each, recorded as its own decision), one after another: a petition someone else
 * decided meanwhile fails alone. Approvals give each petition the duration its form starts with
 * (what was asked, within its plan); denials share one reason.
 */
export async function decideEach(
  api: GreenlightAPI,
  petitions: Petition[],
  decision: "approve" | "deny",
  reason: string,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const petition of petitions) {
    try {
      if (decision === "deny") await api.petition.deny(petition.name, reason);
      else {
        const { initial } = durationChoices(petition);
        const why = reason || "approved in the web UI, with others";
        await api.petition.approve(
          petition.name,
          initial === INDEFINITE ? { indefinite: true, reason: why } : { duration: initial, reason: why },
        );
      }
      outcomes.push({ petition, ok: true });
    } catch (e) {
      outcomes.push({ petition, ok: false, why: whyNot(e) });
    }
  }
  return outcomes;
}

function whyNot(error: unknown): string {
  if (needsStepUp(error)) return "it is high risk: approve it on its own page, after signing in again";
  if (error instanceof GreenlightError) return refusalOf(error.status, problemOf(error));
  return problemOf(error);
}

/** The outcomes in sentences: how many went through, and each that did not, with why. */
export function summarize(decision: "approve" | "deny", outcomes: Outcome[]): string {
  const done = outcomes.filter((o) => o.ok);
  const failed = outcomes.filter((o) => !o.ok);
  const verb = decision === "approve" ? "Approved" : "Denied";
  const head = `${verb} ${done.length} of ${outcomes.length}${done.length ? `: ${done.map((o) => requestName(o.petition)).join("; ")}` : ""}.`;
  if (failed.length === 0) return head;
  const not = decision === "approve" ? "Not approved" : "Not denied";
  return `${head} ${not}: ${failed.map((o) => `${requestName(o.petition)}, because ${o.why}`).join("; ")}.`;
}
