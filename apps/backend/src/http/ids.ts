import { z } from 'zod';

const MESSAGE = 'expected a positive integer id';

/** Ids arrive as path segments; anything but a positive 32-bit integer is a client mistake. */
export const idSchema = z.coerce
  .number({ message: MESSAGE })
  .int(MESSAGE)
  .positive(MESSAGE)
  .max(2_147_483_647, MESSAGE);

export const idParams = z.strictObject({ id: idSchema });
