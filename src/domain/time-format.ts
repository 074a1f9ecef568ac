/** Times as people read them on cards and in messages: "2026-11-27 20:21 UTC". */
export function formatUtc(ms: number | undefined): string {
  if (ms === undefined) return '';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
