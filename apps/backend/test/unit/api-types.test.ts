import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_COMMAND, API_TYPES_FILE, apiTypes } from '../../scripts/api-types.ts';

describe("the frontend's API types", () => {
  it('are what the OpenAPI document generates', async () => {
    const committed = await readFile(API_TYPES_FILE, 'utf8').catch(() => '');
    expect(
      committed,
      `${API_TYPES_FILE} is not what the API describes: run \`${API_TYPES_COMMAND}\` and commit it`,
    ).toBe(await apiTypes());
  });
});
