import type { Webhook } from "@greenlight/sdk";
import { ReceiverList, useReceivers, type ReceiverCard } from "../components/ReceiverList.js";
import { usePageTitle } from "../components/usePageTitle.js";

const CARD: ReceiverCard<Webhook> = {
  receiver: "webhook",
  label: "Webhooks",
  title: (w) => w.displayName || w.name,
  badges: (w) => w.dryRun && <span className="status">dry run</span>,
  body: (w) => <p>{w.handlers.map((h) => `${h.type}${h.resourceKinds.length ? ` (${h.resourceKinds.join(", ")})` : ""}`).join(" · ")}</p>,
};

/**
 * The space's webhooks with their health, and one webhook's delivery log: what was sent, how
 * each delivery went, and redelivery of one that failed or waits.
 */
export function WebhooksPage({ space }: { space: string }) {
  usePageTitle("Webhooks", space);
  const list = useReceivers(space, async (api) => (await api.webhook.list({ pageSize: 100 })).webhooks);
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      {list.receivers !== null && list.receivers.length === 0 && (
        <p>
          No webhooks yet. Add one with <code>POST /v1/spaces/{space}/webhooks</code> (see the README).
        </p>
      )}
      <ReceiverList space={space} card={CARD} list={list} />
    </section>
  );
}
