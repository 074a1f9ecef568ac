import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { fitCard } from './fit-card';
import type { CardJson } from './card-json';

export type { CardJson } from './card-json';

/** Prepared templates by path: preparing parses every expression, which costs far more than expanding. */
const cache = new Map<string, ACData.Template>();

/** Expands a card template from bot/cards with adaptivecards-templating. */
export function renderCard(cardsDir: string, name: string, data: object): CardJson {
  const path = join(cardsDir, `${name}.json`);
  let template = cache.get(path);
  if (!template) {
    template = new ACData.Template(JSON.parse(readFileSync(path, 'utf8')) as object);
    cache.set(path, template);
  }
  return fitCard(withoutNulls(template.expand({ $root: data })) as CardJson);
}

/** Elements dropped by `$when` can leave null keys (e.g. "refresh": null), which the card schema does not allow. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(withoutNulls);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== null)
        .map(([key, item]) => [key, withoutNulls(item)]),
    );
  return value;
}
