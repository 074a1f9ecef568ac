// Structural checks for rendered Adaptive Cards, and small finders that let
// tests talk about a card the way a reader sees it (texts, facts, buttons).
import assert from 'node:assert/strict';
import type { CardJson } from '../../../src/teams/cards/render-template';

type Json = Record<string, unknown>;

const ELEMENT_TYPES = new Set(['TextBlock', 'ColumnSet', 'Column', 'FactSet', 'Container', 'ActionSet', 'Input.Text', 'Input.ChoiceSet']);
const ACTION_TYPES = new Set(['Action.Execute']);
const COLORS = new Set(['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention']);

/**
 * Fails unless the card is a complete Adaptive Card 1.5 as Teams expects it:
 * known element and action types, every input with a unique id, every action
 * with a verb and title, facts and choices as title/value strings, and no
 * template syntax left anywhere ($when, $data, ${...}).
 * `userText` lists data values that may legitimately contain "${".
 */
export function assertValidCard(card: CardJson, userText: string[] = []): void {
  assert.equal(card.type, 'AdaptiveCard');
  assert.equal(card.version, '1.5');
  assert.equal(card.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
  assert.ok(Array.isArray(card.body) && card.body.length > 0, 'body is a non-empty array');
  if (card.actions !== undefined) assert.ok(Array.isArray(card.actions), 'actions is an array');

  const inputIds: string[] = [];
  walk(card, '$', (value, path) => {
    if (typeof value === 'string') {
      if (value.includes('${')) assert.ok(userText.includes(value), `template expression left at ${path}: ${value}`);
      return;
    }
    if (!isObject(value)) return;
    for (const key of Object.keys(value))
      if (key.startsWith('$') && !(path === '$' && key === '$schema')) assert.fail(`template keyword ${key} left at ${path}`);
    if (typeof value.type !== 'string') return;
    if (value.type.startsWith('Action.')) checkAction(value, path);
    else if (value.type !== 'AdaptiveCard') checkElement(value, path, inputIds);
  });
  assert.equal(new Set(inputIds).size, inputIds.length, `input ids are unique: ${inputIds.join(', ')}`);

  const refresh = card.refresh;
  if (isObject(refresh)) {
    assert.ok(isObject(refresh.action) && refresh.action.type === 'Action.Execute', 'refresh.action is an Action.Execute');
    assert.ok(
      Array.isArray(refresh.userIds) && refresh.userIds.every((id) => typeof id === 'string'),
      'refresh.userIds is a list of strings',
    );
  }
}

function checkElement(element: Json, path: string, inputIds: string[]) {
  assert.ok(ELEMENT_TYPES.has(element.type as string), `unknown element type ${String(element.type)} at ${path}`);
  if (element.color !== undefined) assert.ok(COLORS.has(element.color as string), `colour ${String(element.color)} at ${path}`);
  switch (element.type) {
    case 'TextBlock':
      assert.equal(typeof element.text, 'string', `text of the TextBlock at ${path}`);
      break;
    case 'FactSet':
      assert.ok(Array.isArray(element.facts), `facts at ${path}`);
      for (const fact of element.facts as unknown[])
        assert.ok(isObject(fact) && typeof fact.title === 'string' && typeof fact.value === 'string', `fact at ${path}`);
      break;
    case 'Input.Text':
    case 'Input.ChoiceSet':
      assert.ok(typeof element.id === 'string' && element.id.length > 0, `id of the input at ${path}`);
      inputIds.push(element.id as string);
      if (element.value !== undefined) assert.equal(typeof element.value, 'string', `value of ${String(element.id)}`);
      if (element.type === 'Input.ChoiceSet') {
        assert.ok(Array.isArray(element.choices) && element.choices.length > 0, `choices of ${String(element.id)}`);
        for (const choice of element.choices as unknown[])
          assert.ok(
            isObject(choice) && typeof choice.title === 'string' && typeof choice.value === 'string',
            `choice of ${String(element.id)}`,
          );
      }
      break;
    case 'ColumnSet':
      assert.ok(Array.isArray(element.columns), `columns at ${path}`);
      break;
    case 'Column':
    case 'Container':
      assert.ok(Array.isArray(element.items), `items at ${path}`);
      break;
    case 'ActionSet':
      assert.ok(Array.isArray(element.actions) && element.actions.length > 0, `actions at ${path}`);
      break;
  }
}

function checkAction(action: Json, path: string) {
  assert.ok(ACTION_TYPES.has(action.type as string), `unknown action type ${String(action.type)} at ${path}`);
  assert.ok(typeof action.title === 'string' && action.title.length > 0, `title of the action at ${path}`);
  assert.ok(typeof action.verb === 'string' && action.verb.length > 0, `verb of the action at ${path}`);
  if (action.data !== undefined) assert.ok(isObject(action.data), `data of the action at ${path}`);
}

function walk(value: unknown, path: string, visit: (value: unknown, path: string) => void) {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`, visit));
  else if (isObject(value)) for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`, visit);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every element of the card (body, nested items, columns) in reading order. */
export function elements(card: CardJson): Json[] {
  const found: Json[] = [];
  const visit = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const item of items) {
      if (!isObject(item)) continue;
      found.push(item);
      visit(item.items);
      visit(item.columns);
    }
  };
  visit(card.body);
  return found;
}

/** Texts of all TextBlocks, in reading order. */
export function texts(card: CardJson): string[] {
  return elements(card)
    .filter((element) => element.type === 'TextBlock')
    .map((element) => element.text as string);
}

/** The facts of the first FactSet as "title: value". */
export function facts(card: CardJson): string[] {
  const set = elements(card).find((element) => element.type === 'FactSet');
  return set ? (set.facts as { title: string; value: string }[]).map((fact) => `${fact.title}: ${fact.value}`) : [];
}

export interface ActionView {
  title: string;
  verb: string;
  data?: Record<string, unknown>;
}

/** The buttons at the bottom of the card. */
export function cardActions(card: CardJson): ActionView[] {
  return ((card.actions as Json[] | undefined) ?? []).map((action) => ({
    title: action.title as string,
    verb: action.verb as string,
    data: action.data as Record<string, unknown> | undefined,
  }));
}

/** The buttons inside the body (ActionSets). */
export function bodyActions(card: CardJson): ActionView[] {
  return elements(card)
    .filter((element) => element.type === 'ActionSet')
    .flatMap((set) => set.actions as Json[])
    .map((action) => ({ title: action.title as string, verb: action.verb as string, data: action.data as Record<string, unknown> }));
}

export function inputIds(card: CardJson): string[] {
  return elements(card)
    .filter((element) => typeof element.type === 'string' && element.type.startsWith('Input.'))
    .map((element) => element.id as string);
}

/** The texts listed in the container whose first TextBlock is `heading` (e.g. "Steps", "Approvals"). */
export function section(card: CardJson, heading: string): string[] | undefined {
  const container = elements(card).find(
    (element) => element.type === 'Container' && isObject((element.items as Json[])[0]) && (element.items as Json[])[0].text === heading,
  );
  return container ? (container.items as Json[]).slice(1).map((item) => item.text as string) : undefined;
}

/** Texts of the warning container ("⚠ ..."). */
export function warnings(card: CardJson): string[] {
  const container = elements(card).find((element) => element.type === 'Container' && element.style === 'warning');
  return container ? (container.items as Json[]).map((item) => item.text as string) : [];
}
