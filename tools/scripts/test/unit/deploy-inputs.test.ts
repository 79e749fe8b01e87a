import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requiredSecrets, valuesDocument } from '../../lib/deploy-inputs.ts';
import { parseSettings } from '../../lib/settings.ts';

describe('pipeline values', () => {
  it('nests dotted paths and keeps types: a tag of digits stays a string', () => {
    const doc = valuesDocument({
      'backend.image.tag': '0123456789012345',
      'externalDatabase.enabled': false,
      'backend.config.llm.provider': 'builtin',
    });
    expect(parse(doc)).toEqual({
      backend: { image: { tag: '0123456789012345' }, config: { llm: { provider: 'builtin' } } },
      externalDatabase: { enabled: false },
    });
  });

  it('carries the non-secret app settings of .env to the chart', () => {
    const settings = parseSettings(
      { LLM_PROVIDER: 'groq', LOG_LEVEL: 'debug', JWT_SECRET: 'x' },
      '.env',
    );
    expect(settings.appValues).toEqual({
      'backend.config.llm.provider': 'groq',
      'backend.config.logLevel': 'debug',
    });
  });
});

describe('required secrets', () => {
  it('names the missing key, the file and how to make one', () => {
    expect(() => requiredSecrets(parseSettings({}, '/repo/.env'))).toThrow(
      /^JWT_SECRET not set in \/repo\/\.env or the environment: add e\.g\. JWT_SECRET=\$\(openssl rand -hex 32\)/,
    );
  });
});
