import { z } from 'zod';

const MESSAGE = 'expected a positive integer id';

/** Ids are PostgreSQL integers; a larger number cannot name a row and must not reach a query. */
export const MAX_ID = 2_147_483_647;

/** Ids arrive as path segments; anything but a positive 32-bit integer is a client mistake. */
export const idSchema = z.coerce
  .number({ message: MESSAGE })
  .int(MESSAGE)
  .positive(MESSAGE)
  .max(MAX_ID, MESSAGE);

export const idParams = z.strictObject({ id: idSchema });
