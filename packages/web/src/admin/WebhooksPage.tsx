import type { Webhook } from "@greenlight/sdk";
import { useEffect, useState } from "react";
import { DeliveryLog } from "../components/DeliveryLog.js";
import { Problem } from "../components/Problem.js";
import { isFailing, when } from "../format.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";

/**
 * The space's webhooks with their health, and one webhook's delivery log: what was sent, how
 * each delivery went, and redelivery of one that failed or waits.
 */
export function WebhooksPage({ space }: { space: string }) {
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [chosen, setChosen] = useState("");
  const [error, setError] = useState("");

  const [tick, setTick] = useState(0);

  // Read again every few seconds: health changes as deliveries are tried.
  useEffect(() => {
    let live = true;
    apiFor(space)
      .then((api) => api.webhook.list({ pageSize: 100 }))
      .then((page) => {
        if (!live) return;
        setWebhooks(page.webhooks);
        setChosen((known) => known || page.webhooks[0]?.name || "");
        setError("");
      })
      .catch((e: unknown) => live && setError(problemOf(e)));
    const timer = setTimeout(() => setTick((n) => n + 1), 5000);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [space, tick]);

  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      <Problem text={error} />
      {webhooks !== null && webhooks.length === 0 && (
        <p>
          No webhooks yet. Add one with <code>POST /v1/spaces/{space}/webhooks</code> (see the README).
        </p>
      )}
      <ul className="petitions" aria-label="Webhooks">
        {(webhooks ?? []).map((w) => (
          <li key={w.name} className="card" data-webhook={w.name}>
            <div className="row">
              <strong>{w.displayName || w.name}</strong>
              <code>{w.url}</code>
              {w.disabled && <span className="status status-closed">off{w.disabledReason ? `: ${w.disabledReason}` : ""}</span>}
              {w.dryRun && <span className="status">dry run</span>}
            </div>
            <p>{w.handlers.map((h) => `${h.type}${h.resourceKinds.length ? ` (${h.resourceKinds.join(", ")})` : ""}`).join(" · ")}</p>
            <p className={isFailing(w) ? "error" : "muted"}>
              {isFailing(w)
                ? `Last error ${when(w.lastErrorTime)}: ${w.lastError}`
                : w.lastSuccessTime
                  ? `Last delivered ${when(w.lastSuccessTime)}`
                  : "Nothing delivered yet"}
            </p>
            <button type="button" aria-pressed={chosen === w.name} onClick={() => setChosen(w.name)}>
              Deliveries of {w.name}
            </button>
          </li>
        ))}
      </ul>
      {chosen && <DeliveryLog key={chosen} space={space} receiver="webhook" name={chosen} />}
    </section>
  );
}
