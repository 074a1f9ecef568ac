import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';

export type CardJson = Record<string, unknown>;

const cache = new Map<string, object>();

/** Expands a card template from bot/cards with adaptivecards-templating. */
export function renderCard(cardsDir: string, name: string, data: object): CardJson {
  const path = join(cardsDir, `${name}.json`);
  let template = cache.get(path);
  if (!template) {
    template = JSON.parse(readFileSync(path, 'utf8')) as object;
    cache.set(path, template);
  }
  return new ACData.Template(template).expand({ $root: data }) as CardJson;
}
