import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NoticeTemplates, RenderedNotice } from '../app/ports';

/** Notice texts from files, bot/notices/<name>.txt: first line "Subject: ...", a blank line, then the body. */
export class NoticeFiles implements NoticeTemplates {
  constructor(private readonly directory: string) {}

  render(name: string, values: Record<string, string>): RenderedNotice {
    const raw = readFileSync(join(this.directory, `${name}.txt`), 'utf8');
    const filled = raw.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, key: string) => {
      if (!(key in values)) throw new Error(`Notice template ${name} uses {{${key}}}, which is not provided.`);
      return values[key];
    });
    const [first, ...rest] = filled.split('\n');
    if (!first.startsWith('Subject:')) throw new Error(`Notice template ${name} must start with "Subject:".`);
    return { subject: first.slice('Subject:'.length).trim(), body: rest.join('\n').trim() };
  }
}
