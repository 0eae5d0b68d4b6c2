/**
 * Waits for the next turn of the event loop, letting whatever came in meanwhile (a health
 * check, a long-poll release) run. The SQLite store answers reads synchronously, so a request
 * whose steps each take milliseconds would otherwise run them all in one turn.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
