/** Durations as people type them: 30m, 4h, 2d, 1h30m, or plain minutes. */

const UNIT_MINUTES: Record<string, number> = {
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
};

/** Minutes, or null when the text is not a duration. */
export function parseDurationMinutes(text: string): number | null {
  const cleaned = text.trim().toLowerCase();
  if (cleaned === '') return null;
  if (/^\d+$/.test(cleaned)) return Number(cleaned) > 0 ? Number(cleaned) : null;
  const part = /(\d+)\s*([a-z]+)/g;
  let total = 0;
  let consumed = '';
  for (const match of cleaned.matchAll(part)) {
    const unit = UNIT_MINUTES[match[2]];
    if (unit === undefined) return null;
    total += Number(match[1]) * unit;
    consumed += match[0];
  }
  if (consumed.replace(/\s+/g, '') !== cleaned.replace(/\s+/g, '')) return null;
  return total > 0 ? total : null;
}

/** Shortest readable form: 90 -> "1h 30m", 2880 -> "2d". */
export function formatDuration(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', mins ? `${mins}m` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0m';
}
