import { z } from 'zod';
import { GraphError } from './graph-error';

// The parts of Graph responses we rely on. A response without them is an
// error we name, not an undefined that travels further.

export const userShape = z.object({
  id: z.string().min(1),
  displayName: z.string().nullable().optional(),
  userPrincipalName: z.string().min(1),
  mail: z.string().nullable().optional(),
});
export type GraphUser = z.infer<typeof userShape>;

export const userListShape = z.object({ value: z.array(userShape) });

export const directoryObjectShape = z.object({
  '@odata.type': z.string().optional(),
  id: z.string().min(1),
  displayName: z.string().nullable().optional(),
  userPrincipalName: z.string().nullable().optional(),
  mail: z.string().nullable().optional(),
});

export const idListShape = z.object({ value: z.array(z.string()) });

export const USER_SELECT = ['id', 'displayName', 'userPrincipalName', 'mail'];

export function parseShape<T>(shape: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = shape.safeParse(body);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'body';
    throw new GraphError(`${what}: Graph answered with an unexpected shape (${where}).`, 'malformedResponse', 200, false);
  }
  return parsed.data;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ADDRESS = /^[^@\s/\\?#]+@[^@\s/\\?#]+\.[^@\s/\\?#]+$/;

export function requireObjectId(value: string, name: string): string {
  if (!GUID.test(value))
    throw new GraphError(`${name} must be an Entra object ID (GUID), got "${value.slice(0, 60)}".`, 'invalidInput', 0, false);
  return value;
}

export function requireAddress(value: string, name: string): string {
  const trimmed = value.trim();
  if (!ADDRESS.test(trimmed))
    throw new GraphError(`${name} must be a UPN or e-mail address, got "${value.slice(0, 80)}".`, 'invalidInput', 0, false);
  return trimmed;
}

/** OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
