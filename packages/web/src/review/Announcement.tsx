import { useEffect, useRef, useState, type ReactNode } from "react";
import "./review.css";

/** What a decision came to: said to screen readers (a live region) and given keyboard focus. */
export interface Said {
  text: string;
  tone: "ok" | "problem";
}

/**
 * A live region for the results of decisions, and the place keyboard focus goes after one: the
 * controls that were used often disappear with the decision (an inbox card leaves, the buttons of
 * a decided petition go), and focus must not fall back to the page's start. The region is in the
 * page from the start, so screen readers know it before anything is said in it.
 */
export function useAnnouncement(): { announce: (said: Said) => void; region: ReactNode } {
  const [said, setSaid] = useState<(Said & { n: number }) | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (said) ref.current?.focus();
  }, [said]);
  const region = (
    <div
      ref={ref}
      role="status"
      tabIndex={-1}
      className={`announcement${said ? ` announcement-${said.tone}` : ""}`}
      data-testid="decision-result"
    >
      {said?.text}
    </div>
  );
  return { announce: (next) => setSaid((before) => ({ ...next, n: (before?.n ?? 0) + 1 })), region };
}
