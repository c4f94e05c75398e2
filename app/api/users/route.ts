import { json, route } from "@/lib/server/http/route";
import { createUser, listAllUsers } from "@/lib/server/users";
import { createUserSchema, userListSchema, userSchema } from "@/lib/validation/users";

export const GET = route({ operation: "users.list", response: userListSchema }, async () => ({
  users: await listAllUsers(),
}));

export const POST = route(
  { operation: "users.create", body: createUserSchema },
  async ({ user, body, audit }) => {
    const created = await createUser(user, body);
    audit.details = { userId: created.id, username: created.username, role: created.role };
    return json(userSchema.parse(created), { status: 201 });
  },
);
