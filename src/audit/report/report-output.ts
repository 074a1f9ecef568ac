import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { renderHtml } from './render-html';
import type { AuditReport } from './report-types';

export type ReportFormat = 'html' | 'json';

/** The report as the file's content: the HTML page, or the same figures as JSON. */
export async function reportDocument(report: AuditReport, format: ReportFormat): Promise<string> {
  return format === 'html' ? renderHtml(report) : `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Why a report cannot be written to `file`, or undefined when it can: asked
 * before the trail is read, so that a typo costs nothing.
 */
export async function unwritableReason(file: string): Promise<string | undefined> {
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) return `${file} is a directory; name a file inside it`;
  const folder = path.dirname(path.resolve(file));
  const parent = await stat(folder).catch(() => undefined);
  if (!parent) return `the folder ${folder} does not exist`;
  if (!parent.isDirectory()) return `${folder} is not a folder`;
  try {
    await access(folder, constants.W_OK);
    if (existing) await access(file, constants.W_OK);
  } catch {
    return `no permission to write in ${existing ? file : folder}`;
  }
  return undefined;
}
