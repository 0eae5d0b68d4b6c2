import type { Petition } from "@greenlight/sdk";
import { useEffect, useState } from "react";
import { riskLabels, shortDuration, status, what, when, who } from "../format.js";
import { linkProps } from "../router.js";
import { apiFor } from "../session.js";
import { ReviewButtons } from "./ReviewButtons.js";

/**
 * A list of petitions, kept current: "my requests" (the person's own) or the reviewer's inbox
 * (open petitions of others, with approve and deny). It reads again every few seconds.
 */
export function PetitionList({ space, email, mode }: { space: string; email: string; mode: "mine" | "inbox" }) {
  const [petitions, setPetitions] = useState<Petition[] | null>(null);
  const [error, setError] = useState("");
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    apiFor(space)
      .then((api) => api.petition.list({ pageSize: 100, ...(mode === "inbox" ? { phase: "open" } : {}) }))
      .then((page) => {
        if (!live) return;
        const mine = (p: Petition) => p.petitioners.some((r) => r.email?.toLowerCase() === email);
        setPetitions(page.petitions.filter((p) => (mode === "mine" ? mine(p) : !mine(p))));
        setError("");
      })
      .catch((e: unknown) => live && setError((e as Error).message));
    const timer = setTimeout(() => setTick((n) => n + 1), 2000);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [space, email, mode, tick]);

  const title = mode === "mine" ? "My requests" : "Awaiting review";
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{title}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {petitions !== null && petitions.length === 0 && (
        <p>{mode === "mine" ? "You have asked for nothing yet." : "Nothing is waiting for you."}</p>
      )}
      <ul className="petitions">
        {(petitions ?? []).map((p) => (
          <li key={p.name} className="card" data-petition={p.name}>
            <div className="row">
              <a {...linkProps(`/spaces/${space}/petitions/${p.name}`)}>{p.resources.map(what).join(", ")}</a>
              <span className={`status status-${p.state.status.phase}`} aria-label="status">
                {status(p)}
              </span>
            </div>
            <p>
              <strong>{p.petitioners.map(who).join(", ")}</strong>: {p.reason || "no reason given"}
              {p.defaultDuration ? ` · for ${shortDuration(p.defaultDuration)}` : ""} · {when(p.meta.createTime)}
            </p>
            {riskLabels(p).length > 0 && (
              <p className="risk" aria-label="Risk labels">
                {riskLabels(p).map((label) => (
                  <span key={label} className="label">
                    {label}
                  </span>
                ))}
              </p>
            )}
            {mode === "inbox" && <ReviewButtons space={space} petition={p} onDone={() => setTick((n) => n + 1)} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
