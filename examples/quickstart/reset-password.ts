// A sensitive workflow behind `await approval()`: resetting a user's password.
// Run: GREENLIGHT_API_TOKEN=… USER_ID=123 REASON="to recover account" node examples/dist/quickstart/reset-password.js
import { approval } from "@greenlight/sdk";

async function resetPassword(userId: string, reason: string): Promise<void> {
  await approval(
    {
      reason,
      resources: [{ kind: "action", id: `reset-password:${userId}`, displayName: `Reset Password (user:${userId})` }],
    },
    // Time for a person to read the request and decide (5 minutes is also the default).
    { timeout: 5 * 60_000 },
  );

  // -> do something to reset the user's password
  console.log(`done: password reset user:${userId}`);
}

try {
  await resetPassword(process.env.USER_ID ?? "123", process.env.REASON ?? "to recover account");
} catch (err) {
  // Denied (with the reviewer's reason), not decided in time, or the server unreachable: one line.
  console.error(`not done: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
