import type { Subscription } from "@greenlight/sdk";
import { useState, type FormEvent } from "react";
import { DeleteButton } from "../components/DeleteButton.js";
import { Problem } from "../components/Problem.js";
import { ReceiverList, useReceivers, type ReceiverCard } from "../components/ReceiverList.js";
import { ShownOnce } from "../components/ShownOnce.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";
import { usePageTitle } from "../components/usePageTitle.js";

/**
 * The space's event subscriptions (petition and grant events sent to a URL, signed in the
 * Standard Webhooks format): their health, a new one (its signing secret is shown once, in
 * the answer that made it), deleting one, and each one's delivery log with redelivery.
 */
export function SubscriptionsPage({ space }: { space: string }) {
  usePageTitle("Subscriptions", space);
  const list = useReceivers(space, async (api) => (await api.subscription.list({ pageSize: 100 })).subscriptions);
  const [fresh, setFresh] = useState<Subscription | null>(null);

  const card: ReceiverCard<Subscription> = {
    receiver: "subscription",
    label: "Subscriptions",
    title: (s) => s.name,
    body: (s) => (
      <>
        {s.description && <p>{s.description}</p>}
        <p>
          Events: {s.eventTypes.join(", ")} · secret <code>{s.secretHint}</code>
        </p>
      </>
    ),
    actions: (s) => (
      <DeleteButton
        label={`Delete subscription ${s.name}`}
        confirm={`Delete ${s.name} and what it has waiting`}
        remove={async () => (await apiFor(space)).subscription.delete(s.name)}
        onDeleted={() => {
          if (fresh?.name === s.name) setFresh(null);
          list.refresh();
        }}
      />
    ),
  };

  return (
    <section aria-labelledby="subscriptions-title">
      <h1 id="subscriptions-title">Subscriptions</h1>
      <CreateSubscription
        space={space}
        onCreated={(made) => {
          setFresh(made);
          list.choose(made.name);
          list.refresh();
        }}
      />
      {fresh?.secret && (
        <ShownOnce label="New subscription secret" inputLabel="Signing secret" value={fresh.secret} onDone={() => setFresh(null)}>
          <strong>Copy the signing secret of {fresh.name} now: it is not shown again.</strong> The receiver checks each event's{" "}
          <code>webhook-signature</code> with it (the SDK's <code>verifyWebhook</code>, or a Standard Webhooks library).
        </ShownOnce>
      )}
      {list.receivers !== null && list.receivers.length === 0 && <p>No subscriptions yet.</p>}
      <ReceiverList space={space} card={card} list={list} />
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
