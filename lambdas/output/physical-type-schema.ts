/** Zod schema of a PhysicalType as recorded in manifests (JSON), nested lists and structs included. */
import { z } from 'zod';
import type { PhysicalType } from './columns.js';

export const physicalTypeSchema: z.ZodType<PhysicalType> = z.lazy(() =>
  z.union([
    z.enum(['string', 'int64', 'double', 'boolean', 'timestamp', 'json']),
    z.object({ kind: z.literal('list'), element: physicalTypeSchema }),
    z.object({
      kind: z.literal('struct'),
      fields: z.array(z.object({ name: z.string(), key: z.string(), type: physicalTypeSchema })).min(1),
    }),
  ]),
);
