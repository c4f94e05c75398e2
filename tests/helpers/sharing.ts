import type { Role } from "@/lib/access/roles";
import type { Scope } from "@/lib/access/scope";
import { userClient, type TestClient } from "./api-client";

/** The id of a user, looked up through the admin API. */
export async function userIdOf(admin: TestClient, username: string): Promise<string> {
  const r = await admin.get<{ users: { id: string; username: string }[] }>("/api/users");
  const u = r.body.users.find((x) => x.username === username);
  if (!u) throw new Error(`no user ${username}`);
  return u.id;
}

/** A new user, signed in, with their id. */
export async function member(
  admin: TestClient,
  username: string,
): Promise<{ client: TestClient; id: string }> {
  const client = await userClient(admin, username);
  return { client, id: await userIdOf(admin, username) };
}

/** Shares a connection with a user or team through the API; returns the grant id. */
export async function share(
  owner: TestClient,
  connectionId: string,
  grantee: { type: "user" | "team"; id: string },
  role: Role,
  scope: Scope,
): Promise<string> {
  const r = await owner.post<{ id: string }>(`/api/connections/${connectionId}/grants`, {
    grantee,
    role,
    scope,
  });
  if (r.status !== 201) throw new Error(`share failed: ${JSON.stringify(r.body)}`);
  return r.body.id;
}
