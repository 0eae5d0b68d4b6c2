import type { Delivery, Grant } from "@greenlight/sdk";
import { useEffect, useState } from "react";
import { Pager } from "../components/Pager.js";
import { Problem } from "../components/Problem.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { what, when, who } from "../format.js";
import { problemOf } from "../problem.js";
import { spaceHref, linkProps } from "../router.js";
import { apiFor } from "../session.js";
import "./admin.css";

const PROVISIONING: Record<Grant["provisioning"], { text: string; badge: string }> = {
  none: { text: "nothing to provision", badge: "" },
  applying: { text: "being applied", badge: "badge-warn" },
  applied: { text: "applied", badge: "badge-ok" },
  apply_failed: { text: "apply failed", badge: "badge-bad" },
  revoking: { text: "being revoked", badge: "badge-warn" },
  revoked: { text: "revoked", badge: "badge-ok" },
  revoke_failed: { text: "revoke failed", badge: "badge-bad" },
};

const failed = (grant: Grant) => grant.provisioning === "apply_failed" || grant.provisioning === "revoke_failed";

/**
 * The space's grants and their provisioning: whether each integration applied (and, once over,
 * revoked) the access. The list can be narrowed, on the server, to the grants an integration
 * gave up on; each of those shows what the integration answered and sends the failed delivery
 * again.
 */
export function GrantsPage({ space }: { space: string }) {
  usePageTitle("Grants", space);
  const [onlyFailed, setOnlyFailed] = useState(false);
  const [grants, setGrants] = useState<Grant[] | null>(null);
  const [pages, setPages] = useState([""]);
  const [next, setNext] = useState("");
  const [error, setError] = useState("");
  const [reload, setReload] = useState(0);

  useEffect(() => setPages([""]), [onlyFailed]);

  useEffect(() => {
    let live = true;
    // Until this page arrives, Next would carry the token of the page before.
    setNext("");
    apiFor(space)
      .then((api) => api.grant.list({ pageSize: 50, pageToken: pages.at(-1), ...(onlyFailed ? { provisioning: "failed" } : {}) }))
      .then((page) => {
        if (!live) return;
        setGrants(page.grants);
        setNext(page.nextPageToken);
        setError("");
      })
      .catch((e: unknown) => live && setError(problemOf(e)));
    return () => {
      live = false;
    };
  }, [space, pages, onlyFailed, reload]);

  return (
    <section aria-labelledby="grants-title">
      <h1 id="grants-title">Grants</h1>
      <div className="filters">
        <label className="check">
          <input type="checkbox" checked={onlyFailed} onChange={(e) => setOnlyFailed(e.target.checked)} />
          Only grants whose provisioning failed
        </label>
      </div>
      <Problem text={error} />
      {grants !== null && grants.length === 0 && <p>{onlyFailed ? "No provisioning has failed." : "No grants yet."}</p>}
      <ul className="admin-list" aria-label="Grants">
        {(grants ?? []).map((grant) => (
          <li key={grant.name} className="card" data-grant={grant.name} data-provisioning={grant.provisioning}>
            <div className="row">
              <strong>{who(grant.petitioner)}</strong>
              <span>{what(grant.resource)}</span>
              <span className={`badge ${PROVISIONING[grant.provisioning].badge}`}>{PROVISIONING[grant.provisioning].text}</span>
            </div>
            <p className="muted">
              {grant.status.replace("_", " ")} · from {when(grant.startTime)}
              {grant.expireTime ? ` until ${when(grant.expireTime)}` : ""} ·{" "}
              <a {...linkProps(spaceHref(space, `/petitions/${encodeURIComponent(grant.petitionName)}`))}>{grant.petitionName}</a>
            </p>
            {failed(grant) && <FailedDeliveries space={space} grant={grant} onRetried={() => setReload((n) => n + 1)} />}
          </li>
        ))}
      </ul>
      <Pager label="Pages of grants" pages={pages} next={next} onPage={setPages} />
    </section>
  );
}

/** The grant's deliveries an integration gave up on, each with its answer and a Retry. */
function FailedDeliveries({ space, grant, onRetried }: { space: string; grant: Grant; onRetried: () => void }) {
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [problem, setProblem] = useState("");
  const [sent, setSent] = useState("");

  useEffect(() => {
    let live = true;
    // A grant's deliveries are its petition's, marked with the grant.
    apiFor(space)
      .then((api) => api.petition.deliveries(grant.petitionName, { status: "failed", pageSize: 100 }))
      .then((page) => live && setDeliveries(page.deliveries.filter((d) => d.grant === grant.name)))
      .catch((e: unknown) => live && setProblem(problemOf(e)));
    return () => {
      live = false;
    };
  }, [space, grant.name, grant.petitionName, grant.provisioning]);

  async function retry(delivery: Delivery) {
    setProblem("");
    setSent("");
    try {
      const api = await apiFor(space);
      if (delivery.receiver.kind === "webhook") await api.webhook.redeliver(delivery.receiver.name, delivery.id);
      else if (delivery.receiver.kind === "subscription") await api.subscription.redeliver(delivery.receiver.name, delivery.id);
      else await api.slack.redeliver(delivery.id);
      setSent(`Sent ${delivery.event} to ${delivery.receiver.name} again; the state changes once it answers.`);
      onRetried();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  if (deliveries === null) return <Problem text={problem} />;
  return (
    <div>
      {deliveries.length === 0 && <p className="muted">No failed delivery is left to send again.</p>}
      <ul className="admin-list">
        {deliveries.map((d) => (
          <li key={d.id} data-delivery={d.id}>
            <p className="error">
              {d.receiver.name} did not take {d.event} after {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
              {d.lastStatus ? ` (HTTP ${d.lastStatus})` : ""}
              {d.lastError ? `: ${d.lastError}` : ""}. Fix the integration, then retry.
            </p>
            <button type="button" onClick={() => void retry(d)} aria-label={`Retry ${d.event} to ${d.receiver.name}`}>
              Retry
            </button>
          </li>
        ))}
      </ul>
      <Problem text={problem} />
      {sent && (
        <p className="ok" role="status">
          {sent}
        </p>
      )}
    </div>
  );
}
