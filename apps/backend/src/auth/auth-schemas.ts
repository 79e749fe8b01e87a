import { z } from 'zod';

// The API's answers are named components of the OpenAPI document (`.meta({ id })`), which the
// frontend's generated types (apps/frontend/src/lib/api-types.ts) call by these names.

const email = z.email({ message: 'expected an email address' }).max(254).trim();

export const credentials = z.strictObject({
  email,
  password: z
    .string()
    .min(8, 'must be at least 8 characters')
    .max(128, 'must be at most 128 characters'),
});

export const signUpBody = credentials.extend({
  name: z.string().trim().min(1).max(100).optional(),
});

export const userSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export const sessionSchema = z
  .object({ user: userSchema, token: z.string(), expiresAt: z.string() })
  .meta({ id: 'Session' });

export type User = z.infer<typeof userSchema>;
export type Session = z.infer<typeof sessionSchema>;
export type SignUp = z.infer<typeof signUpBody>;
