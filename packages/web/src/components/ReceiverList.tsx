import type { GreenlightAPI } from "@greenlight/sdk";
import { useState, type ReactNode } from "react";
import { isFailing, when } from "../format.js";
import { apiFor } from "../session.js";
import { DeliveryLog } from "./DeliveryLog.js";
import { Problem } from "./Problem.js";
import { usePolled } from "./usePolled.js";

/** What every receiver shows: where it sends, whether it is on, and how its deliveries went. */
export interface ReceiverSummary {
  name: string;
  url: string;
  disabled: boolean;
  disabledReason?: string;
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
}

/** How a page shows its kind of receiver; the rest of each card and the delivery log are the same for all. */
export interface ReceiverCard<T> {
  /** The API's name for the kind, which names its delivery log and each card's `data-` attribute. */
  receiver: "webhook" | "subscription";
  /** What the list is called, for screen readers: "Webhooks". */
  label: string;
  title(receiver: T): string;
  /** Marks beside the state, as a dry run's. */
  badges?(receiver: T): ReactNode;
  /** Its own lines, between the heading and the health. */
  body(receiver: T): ReactNode;
  /** Buttons beside "Deliveries of …". */
  actions?(receiver: T): ReactNode;
}

/**
 * A space's receivers of one kind, read again every few seconds, and the one chosen (the first
 * until another is); `refresh` reads them again at once, as after one was made or deleted.
 */
export function useReceivers<T extends ReceiverSummary>(space: string, load: (api: GreenlightAPI) => Promise<T[]>) {
  const { value: receivers, error, refresh } = usePolled(async () => load(await apiFor(space)), [space]);
  const [picked, choose] = useState("");
  const chosen = receivers?.some((r) => r.name === picked) ? picked : (receivers?.[0]?.name ?? "");
  return { receivers, error, refresh, chosen, choose };
}

/** The receivers as cards, each with its state and health, and the chosen one's delivery log. */
export function ReceiverList<T extends ReceiverSummary>({
  space,
  card,
  list,
}: {
  space: string;
  card: ReceiverCard<T>;
  list: ReturnType<typeof useReceivers<T>>;
}) {
  return (
    <>
      <Problem text={list.error} />
      <ul className="petitions" aria-label={card.label}>
        {(list.receivers ?? []).map((r) => (
          <li key={r.name} className="card" {...{ [`data-${card.receiver}`]: r.name }}>
            <div className="row">
              <strong>{card.title(r)}</strong>
              <code>{r.url}</code>
              {r.disabled && <span className="status status-closed">off{r.disabledReason ? `: ${r.disabledReason}` : ""}</span>}
              {card.badges?.(r)}
            </div>
            {card.body(r)}
            <p className={isFailing(r) ? "error" : "muted"}>
              {isFailing(r)
                ? `Last error ${when(r.lastErrorTime)}: ${r.lastError}`
                : r.lastSuccessTime
                  ? `Last delivered ${when(r.lastSuccessTime)}`
                  : "Nothing delivered yet"}
            </p>
            <div className="row">
              <button type="button" aria-pressed={list.chosen === r.name} onClick={() => list.choose(r.name)}>
                Deliveries of {r.name}
              </button>
              {card.actions?.(r)}
            </div>
          </li>
        ))}
      </ul>
      {list.chosen && <DeliveryLog key={list.chosen} space={space} receiver={card.receiver} name={list.chosen} />}
    </>
  );
}
