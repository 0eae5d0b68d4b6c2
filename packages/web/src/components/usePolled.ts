import { useEffect, useState } from "react";
import { problemOf } from "../problem.js";

/**
 * What `load` answers, read when the component shows, whenever `deps` change, and again every
 * `everyMs` while it shows (a receiver's health and deliveries change as they are tried), or the
 * problem that kept it from being read. An answer that arrives after the component moved on is
 * dropped. `refresh` reads it again now, as after a change made here.
 */
export function usePolled<T>(load: () => Promise<T>, deps: readonly unknown[], everyMs = 5000) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState("");
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    load()
      .then((found) => {
        if (!live) return;
        setValue(found);
        setError("");
      })
      .catch((e: unknown) => live && setError(problemOf(e)));
    const timer = setTimeout(() => setTick((n) => n + 1), everyMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `load` is a new function each render; what it reads is named by `deps`.
  }, [...deps, tick]);

  return { value, error, refresh: () => setTick((n) => n + 1) };
}
