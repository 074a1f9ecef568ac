/** A rendered card (the type render-template.ts calls CardJson; not imported, as that file imports this one). */
type CardJson = Record<string, unknown>;

/**
 * Teams refuses a message larger than about 28 KB. Field limits keep normal
 * cards far below that, but many long values together (a list of audit
 * records, a review with many comments, text that escaping doubles) could
 * pass it, so the longest texts are shortened until the card fits, each cut
 * marked. The full texts stay in the audit trail.
 */
export const CARD_BUDGET_BYTES = 24_000;

const MARK = ' … (shortened)';
const SHORTEST = 60;

type Slot = { holder: Record<string, unknown>; key: string };

export function fitCard(card: CardJson, budget = CARD_BUDGET_BYTES): CardJson {
  let size = byteSize(card);
  if (size <= budget) return card;
  const slots = textSlots(card);
  while (size > budget) {
    const longest = slots.reduce<Slot | undefined>((best, slot) => (!best || length(slot) > length(best) ? slot : best), undefined);
    if (!longest || length(longest) <= SHORTEST + MARK.length) break;
    const text = longest.holder[longest.key] as string;
    const over = size - budget;
    longest.holder[longest.key] = cut(text, Math.max(SHORTEST, Math.min(Math.floor(text.length / 2), text.length - over)));
    size = byteSize(card);
  }
  return card;
}

function byteSize(card: CardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

function length(slot: Slot): number {
  return (slot.holder[slot.key] as string).length;
}

/** Cuts without splitting a surrogate pair or leaving a lone escaping backslash at the end. */
function cut(text: string, keep: number): string {
  let kept = text.slice(0, keep);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  const trailing = /\\+$/.exec(kept)?.[0].length ?? 0;
  if (trailing % 2 === 1) kept = kept.slice(0, -1);
  return `${kept}${MARK}`;
}

/** The texts people read: TextBlock texts and fact values. */
function textSlots(node: unknown, slots: Slot[] = []): Slot[] {
  if (Array.isArray(node)) for (const item of node) textSlots(item, slots);
  else if (node && typeof node === 'object') {
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock' && typeof element.text === 'string') slots.push({ holder: element, key: 'text' });
    if (typeof element.title === 'string' && typeof element.value === 'string' && !('type' in element))
      slots.push({ holder: element, key: 'value' });
    for (const [key, value] of Object.entries(element)) if (key !== 'data') textSlots(value, slots);
  }
  return slots;
}
