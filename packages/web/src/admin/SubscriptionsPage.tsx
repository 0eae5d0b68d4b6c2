import type { Subscription } from "@greenlight/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { DeliveryLog } from "../components/DeliveryLog.js";
import { Problem } from "../components/Problem.js";
import { isFailing, when } from "../format.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";

/**
 * The space's event subscriptions (petition and grant events sent to a URL, signed in the
 * Standard Webhooks format): their health, a new one (its signing secret is shown once, in
 * the answer that made it), deleting one, and each one's delivery log with redelivery.
 */
export function SubscriptionsPage({ space }: { space: string }) {
  const [subscriptions, setSubscriptions] = useState<Subscription[] | null>(null);
  const [chosen, setChosen] = useState("");
  const [fresh, setFresh] = useState<Subscription | null>(null);
  const [error, setError] = useState("");
  const [tick, setTick] = useState(0);

  // Read again every few seconds: health changes as deliveries are tried.
  useEffect(() => {
    let live = true;
    apiFor(space)
      .then((api) => api.subscription.list({ pageSize: 100 }))
      .then((page) => {
        if (!live) return;
        setSubscriptions(page.subscriptions);
        setChosen((known) => (page.subscriptions.some((s) => s.name === known) ? known : page.subscriptions[0]?.name || ""));
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
    <section aria-labelledby="subscriptions-title">
      <h1 id="subscriptions-title">Subscriptions</h1>
      <CreateSubscription
        space={space}
        onCreated={(made) => {
          setFresh(made);
          setChosen(made.name);
          setTick((n) => n + 1);
        }}
      />
      {fresh?.secret && (
        <div className="secret" role="status" aria-label="New subscription secret">
          <p>
            <strong>Copy the signing secret of {fresh.name} now: it is not shown again.</strong> The receiver checks each event's{" "}
            <code>webhook-signature</code> with it (the SDK's <code>verifyWebhook</code>, or a Standard Webhooks library).
          </p>
          <input readOnly value={fresh.secret} aria-label="Signing secret" onFocus={(e) => e.target.select()} />
          <div className="row">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(fresh.secret!)}>
              Copy
            </button>
            <button type="button" onClick={() => setFresh(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <Problem text={error} />
      {subscriptions !== null && subscriptions.length === 0 && <p>No subscriptions yet.</p>}
      <ul className="petitions" aria-label="Subscriptions">
        {(subscriptions ?? []).map((s) => (
          <li key={s.name} className="card" data-subscription={s.name}>
            <SubscriptionCard
              space={space}
              subscription={s}
              chosen={chosen === s.name}
              onChoose={() => setChosen(s.name)}
              onDeleted={() => {
                if (fresh?.name === s.name) setFresh(null);
                setTick((n) => n + 1);
              }}
            />
          </li>
        ))}
      </ul>
      {chosen && <DeliveryLog key={chosen} space={space} receiver="subscription" name={chosen} />}
    </section>
  );
}

function CreateSubscription({ space, onCreated }: { space: string; onCreated: (made: Subscription) => void }) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [eventTypes, setEventTypes] = useState("*");
  const [description, setDescription] = useState("");
  const [problem, setProblem] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem("");
    try {
      const types = eventTypes
        .split(/[\s,]+/)
        .map((t) => t.trim())
        .filter(Boolean);
      const made = await (
        await apiFor(space)
      ).subscription.create({
        name: name.trim(),
        url: url.trim(),
        ...(types.length > 0 ? { eventTypes: types } : {}),
        ...(description ? { description } : {}),
      });
      setName("");
      setUrl("");
      setDescription("");
      onCreated(made);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="new-subscription-title">
      <h2 id="new-subscription-title">New subscription</h2>
      <div className="filters">
        <label>
          Subscription name
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="audit" spellCheck={false} />
        </label>
        <label className="wide">
          URL
          <input
            required
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://audit.example.com/greenlight"
            spellCheck={false}
          />
        </label>
        <label className="wide">
          Event types
          <input
            value={eventTypes}
            onChange={(e) => setEventTypes(e.target.value)}
            aria-describedby="event-types-hint"
            spellCheck={false}
          />
        </label>
        <label className="wide">
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="optional" />
        </label>
      </div>
      <p id="event-types-hint" className="muted">
        Separated by commas: <code>petition.granted</code>, a family such as <code>petition.*</code>, or <code>*</code> for every event.
      </p>
      <Problem text={problem} />
      <div className="row">
        <button type="submit" className="approve">
          Create subscription
        </button>
      </div>
    </form>
  );
}

function SubscriptionCard({
  space,
  subscription: s,
  chosen,
  onChoose,
  onDeleted,
}: {
  space: string;
  subscription: Subscription;
  chosen: boolean;
  onChoose: () => void;
  onDeleted: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState("");

  async function remove() {
    setProblem("");
    try {
      await (await apiFor(space)).subscription.delete(s.name);
      onDeleted();
    } catch (e) {
      setProblem(problemOf(e));
      setConfirming(false);
    }
  }

  return (
    <>
      <div className="row">
        <strong>{s.name}</strong>
        <code>{s.url}</code>
        {s.disabled && <span className="status status-closed">off{s.disabledReason ? `: ${s.disabledReason}` : ""}</span>}
      </div>
      {s.description && <p>{s.description}</p>}
      <p>
        Events: {s.eventTypes.join(", ")} · secret <code>{s.secretHint}</code>
      </p>
      <p className={isFailing(s) ? "error" : "muted"}>
        {isFailing(s)
          ? `Last error ${when(s.lastErrorTime)}: ${s.lastError}`
          : s.lastSuccessTime
            ? `Last delivered ${when(s.lastSuccessTime)}`
            : "Nothing delivered yet"}
      </p>
      <div className="row">
        <button type="button" aria-pressed={chosen} onClick={onChoose}>
          Deliveries of {s.name}
        </button>
        {confirming ? (
          <>
            <button type="button" className="deny" onClick={() => void remove()}>
              Delete {s.name} and what it has waiting
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete subscription ${s.name}`}>
            Delete
          </button>
        )}
      </div>
      <Problem text={problem} />
    </>
  );
}
