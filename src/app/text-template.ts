import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RenderedNotice {
  subject: string;
  body: string;
}

/** Notice texts live in bot/notices/<name>.txt: first line "Subject: ...", a blank line, then the body. */
export function renderNotice(directory: string, name: string, values: Record<string, string>): RenderedNotice {
  const raw = readFileSync(join(directory, `${name}.txt`), 'utf8');
  const filled = raw.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, key: string) => {
    if (!(key in values)) throw new Error(`Notice template ${name} uses {{${key}}}, which is not provided.`);
    return values[key];
  });
  const [first, ...rest] = filled.split('\n');
  if (!first.startsWith('Subject:')) throw new Error(`Notice template ${name} must start with "Subject:".`);
  return { subject: first.slice('Subject:'.length).trim(), body: rest.join('\n').trim() };
}
