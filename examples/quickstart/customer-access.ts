// Least-privilege customer access: staff request access to a customer's account from an admin
// route, and wait for approval. The route is a Next.js App Router handler
// (app/api/customers/[id]/access/route.ts); any framework with Request/Response works alike.
import { approval, getErrorKind, GreenlightAPI } from "@greenlight/sdk";

// GREENLIGHT_API_URL, GREENLIGHT_API_TOKEN and GREENLIGHT_SPACE, from the environment. The token
// is a service account's: the admin role lets it upload resources and petition on behalf of your
// staff (split them over two accounts, admin and petitioner-admin, to hold less in one place).
const client = new GreenlightAPI();

export interface Customer {
  id: string;
  name: string;
  plan: string;
}

/** Upload customers to Greenlight, on a schedule or whenever they change. */
export async function uploadCustomers(customers: Customer[]): Promise<void> {
  await client.resource.bulkUpdate({
    resources: customers.map((c) => ({ kind: "customer", id: c.id, displayName: c.name, labels: { plan: c.plan } })),
  });
}

/** Your app's signed-in staff member; here from a header set by your auth proxy. */
async function getCurrentUser(request: Request): Promise<{ id: string; email: string }> {
  const email = request.headers.get("x-user-email");
  if (!email) throw new Error("not signed in");
  return { id: email, email };
}

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id: customerId } = await params;
  try {
    const user = await getCurrentUser(request);
    await approval(
      {
        reason: `support ticket for customer ${customerId}`,
        petitioners: [{ kind: "user", id: user.id, email: user.email }],
        resources: [{ kind: "customer", id: customerId }],
      },
      // A route answers soon: 202 while a person decides, and at once when asked again once granted.
      { client, quiet: true, timeout: 10_000 },
    );
    return Response.json({ ok: true });
  } catch (err) {
    switch (getErrorKind(err)) {
      case "waiting":
        // Once granted, it will auto-approve next time.
        return Response.json({ ok: false, status: "waiting" }, { status: 202 });
      case "denied":
        // Denied by a reviewer or a policy.
        return Response.json({ ok: false, status: "denied" }, { status: 403 });
      default:
        return Response.json({ ok: false, status: "unknown" }, { status: 500 });
    }
  }
}
