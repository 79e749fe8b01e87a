import type { SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';

const PREFIX = '#/components/schemas/';

/**
 * Components for the zod schemas named with `.meta({ id })`, as fastify-type-provider-zod makes
 * them, less those no route refers to: it also adds an `<id>Input` twin of every named schema,
 * for request bodies that would use one. Ours stay inline (the fuzz test reads their fields from
 * the operation), and unused twins would read like request types in the generated client types.
 */
export const namedSchemas: SwaggerTransformObject = (document) => {
  const openapi = jsonSchemaTransformObject(document);
  const schemas: Record<string, unknown> =
    ('components' in openapi && openapi.components?.schemas) || {};
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith(PREFIX)) {
      const name = ref.slice(PREFIX.length);
      if (used.has(name)) return;
      used.add(name);
      visit(schemas[name]);
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(openapi.paths);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
  return openapi;
};
