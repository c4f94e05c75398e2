import { z } from "zod";
import { idSchema } from "./ids";
import { passwordSchema, roleSchema, usernameSchema } from "./auth";

export const createUserSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema.default("user"),
});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  createdAt: z.string(),
});
export const userListSchema = z.object({ users: z.array(userSchema) });
export type User = z.infer<typeof userSchema>;

export const idParamsSchema = z.object({ id: idSchema });
