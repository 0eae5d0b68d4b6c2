// A sensitive workflow behind `await approval()`: resetting a user's password.
// Run: GREENLIGHT_API_TOKEN=… USER_ID=123 REASON="to recover account" node examples/dist/quickstart/reset-password.js
import { approval } from "@greenlight/sdk";

async function resetPassword(userId: string, reason: string): Promise<void> {
  await approval({
    reason,
    resources: [{ kind: "action", id: `reset-password:${userId}`, displayName: `Reset Password (user:${userId})` }],
  });
  // By default approval() waits up to 10 seconds; pass { timeout } to wait longer.

  // -> do something to reset the user's password
  console.log(`done: password reset user:${userId}`);
}

await resetPassword(process.env.USER_ID ?? "123", process.env.REASON ?? "to recover account");
