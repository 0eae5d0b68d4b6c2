import type { PetitionPreview } from "@greenlight/sdk";
import { describe } from "./durations.js";
import { stepNeeds } from "./reviewers.js";

/**
 * What the request would get, told before it is sent: decided at once by a rule, or who must
 * approve it, whether it is high risk, and how long it may wait.
 */
export function ReviewPreview({ preview, now }: { preview: PetitionPreview; now: number }) {
  const { outcome, review } = preview;
  const waits = review.timeoutTime ? Date.parse(review.timeoutTime) - now : null;
  return (
    <section className="request-preview" aria-labelledby="preview-title" aria-live="polite">
      <h3 id="preview-title">What happens next</h3>
      {outcome === "approve" && <p>The space's policy grants this at once.</p>}
      {outcome === "deny" && <p>The space's policy refuses this at once; ask an admin of the space if you need it.</p>}
      {outcome === "review" && (
        <>
          <p>It waits for approval:</p>
          <ul className="request-steps" aria-label="Who would review it">
            {review.steps.map((step) => (
              <li key={step.name}>
                <strong>{step.name}</strong>: {stepNeeds(step)}
              </li>
            ))}
          </ul>
        </>
      )}
      {review.highRisk && (
        <p>
          <span className="high-risk">High risk</span> Whoever approves it must have signed in again recently.
        </p>
      )}
      {outcome === "review" && waits !== null && waits > 0 && (
        <p className="hint">If nobody decides within {describe(Math.round(waits / 60_000) * 60_000)}, it closes unapproved.</p>
      )}
    </section>
  );
}
