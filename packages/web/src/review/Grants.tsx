import type { Delivery, Grant } from "@greenlight/sdk";
import { what, when, who } from "../format.js";
import "./review.css";

/**
 * A petition's grants and what the integrations made of each: a grant whose integration gave up
 * (`apply_failed`, `revoke_failed`) is marked as a problem, never shown as healthy, with the
 * integration's error when the viewer may read the delivery log (space admins), and what to do
 * next. One still being applied after a failed attempt says so too.
 */
export function Grants({ grants, deliveries, admin }: { grants: Grant[]; deliveries: Delivery[]; admin: boolean }) {
  if (grants.length === 0) return null;
  return (
    <>
      <h2>Access</h2>
      <ul className="grants" aria-label="Grants">
        {grants.map((grant) => {
          const problem = problemOf(grant, deliveries, admin);
          return (
            <li
              key={grant.name}
              data-grant={grant.name}
              data-provisioning={grant.provisioning}
              className={problem ? "grant-problem" : undefined}
            >
              {who(grant.petitioner)} → {what(grant.resource)}: <strong>{grant.status.replace("_", " ")}</strong>
              {grant.provisioning && grant.provisioning !== "none" ? (
                <>
                  {" · integrations: "}
                  <span className={`provisioning provisioning-${grant.provisioning}`}>
                    {PROVISIONING[grant.provisioning] ?? grant.provisioning}
                  </span>
                </>
              ) : (
                ""
              )}
              {grant.expireTime && grant.status === "active" ? ` · until ${when(grant.expireTime)}` : ""}
              {problem && (
                <p className="grant-problem-text" role="note" aria-label="Problem">
                  <strong>Problem: </strong>
                  {problem}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** A grant's provisioning in words. */
const PROVISIONING: Record<string, string> = {
  applying: "being applied",
  applied: "applied",
  apply_failed: "applying failed",
  revoking: "being revoked",
  revoked: "revoked",
  revoke_failed: "revoking failed",
};

/** What went wrong with the grant's provisioning, in a sentence with what to do; empty when nothing did. */
function problemOf(grant: Grant, deliveries: Delivery[], admin: boolean): string {
  const failed = grant.provisioning === "apply_failed" || grant.provisioning === "revoke_failed";
  const retrying = grant.provisioning === "applying" || grant.provisioning === "revoking";
  const event = grant.provisioning.startsWith("apply") ? "access/grant" : "access/revoke";
  const tried = deliveries.filter((d) => d.grant === grant.name && d.event === event && d.lastError);
  const doing = event === "access/grant" ? "apply" : "revoke";
  if (failed) {
    const errors = tried.filter((d) => d.status === "failed");
    if (errors.length > 0) {
      return `${errors.map((d) => `${d.receiver.kind} ${d.receiver.name} gave up: ${d.lastError}`).join("; ")}. Fix the integration, then send it again from the ${errors[0]!.receiver.kind}'s delivery log.`;
    }
    return admin
      ? `an integration could not ${doing} this access. Its delivery log under Webhooks says why, and sends it again.`
      : `an integration could not ${doing} this access, so it may not match what is shown here. Ask a space admin: the delivery log says why, and sends it again.`;
  }
  if (retrying && tried.some((d) => d.status === "pending")) {
    const pending = tried.filter((d) => d.status === "pending");
    return `the last attempt failed (${pending.map((d) => `${d.receiver.kind} ${d.receiver.name}: ${d.lastError}`).join("; ")}); it will be tried again${pending[0]!.nextAttemptTime ? ` ${when(pending[0]!.nextAttemptTime)}` : ""}.`;
  }
  return "";
}
