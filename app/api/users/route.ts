import { json, route } from "@/lib/server/http/route";
import { createUser, listAllUsers } from "@/lib/server/users";
import { createUserSchema, userListSchema, userSchema } from "@/lib/validation/users";

export const GET = route({ access: "admin", response: userListSchema }, async () => ({
  users: await listAllUsers(),
}));

export const POST = route({ access: "admin", body: createUserSchema }, async ({ user, body }) =>
  json(userSchema.parse(await createUser(user, body)), { status: 201 }),
);
