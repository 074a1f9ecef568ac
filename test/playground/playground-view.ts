import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

const CARD = '.ac-adaptiveCard';
const REPLY_TIMEOUT_MS = 15_000;

/**
 * One Agents Playground tab (one signed-in demo user), driven like a person would:
 * pick a conversation, type, mention the bot, fill cards, press card buttons.
 * Selectors follow the Playground's accessible names; its CSS classes are generated.
 */
export class PlaygroundView {
  private constructor(
    readonly page: Page,
    private readonly name: string,
    private readonly out: string,
  ) {}

  static async open(browser: Browser, url: string, name: string, out: string): Promise<PlaygroundView> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 2000 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    if (process.env.PG_TRACE === '1') {
      // Shows what the Playground sends for each card button (inputs included).
      page.on('request', (request) => {
        const body = request.postData();
        if (body && body.includes('"verb"')) console.log(`     [${name}] ${request.method()} ${request.url()} ${body.slice(0, 600)}`);
      });
    }
    await page.goto(url);
    await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor();
    await page.waitForTimeout(1500);
    return new PlaygroundView(page, name, out);
  }

  async openConversation(name: string | RegExp): Promise<void> {
    await this.page.getByRole('treeitem', { name }).click();
    await this.settle();
  }

  /** Sends a chat message in a personal or group chat and waits for the bot's answer. */
  async send(text: string): Promise<void> {
    const before = await this.botMessageCount();
    await this.editor().last().click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
    await this.waitForBot(before);
  }

  /** Mentions the bot (picked from the suggestions) in a new channel post or group chat; returns its reply text. */
  async mention(text: string): Promise<string> {
    const before = await this.botMessageCount();
    await this.editor().first().click();
    await this.page.keyboard.type('@Cust');
    await this.page.getByRole('menuitem', { name: 'Custodian' }).click();
    await this.page.keyboard.type(` ${text}`);
    const post = this.page.getByRole('button', { name: 'Post', exact: true });
    const isChannel = await post.isVisible();
    if (isChannel) await post.click();
    else await this.page.keyboard.press('Enter');
    await this.waitForBot(before);
    if (!isChannel) return this.lastBotText();
    // In a channel the answer is threaded under the post; newer posts are listed first.
    const thread = this.page
      .getByRole('group')
      .filter({ hasText: text })
      .filter({ has: this.page.locator(BOT_AVATAR) })
      .first();
    const reply = thread.locator('p').filter({ hasText: /\S/ }).last();
    await reply.waitFor({ timeout: REPLY_TIMEOUT_MS }).catch(() => undefined);
    return (await reply.innerText().catch(() => '')).trim();
  }

  async lastCard(): Promise<Locator> {
    return this.page.locator(CARD).last();
  }

  /** The newest card that mentions `text` (and offers `button` when given), or null. */
  async cardContaining(text: string, button?: string): Promise<Locator | null> {
    if (!text) return null;
    let cards = this.page.locator(CARD).filter({ hasText: text });
    if (button) cards = cards.filter({ has: this.page.getByRole('button', { name: button, exact: true }) });
    return (await cards.count()) > 0 ? cards.last() : null;
  }

  /** The newest message bubble from the bot (text or card). */
  async lastBotMessage(): Promise<Locator> {
    const marker = String(Date.now());
    await this.page.evaluate(`(${MARK_LAST_BOT_MESSAGE})(${JSON.stringify(marker)})`);
    return this.page.locator(`[data-walkthrough-last="${marker}"]`);
  }

  async lastBotText(): Promise<string> {
    return (await (await this.lastBotMessage()).innerText()).trim();
  }

  async fillText(card: Locator, label: string, value: string): Promise<void> {
    await this.typeInto(card.getByLabel(label, { exact: false }).first(), value);
  }

  async fillByPlaceholder(card: Locator, placeholder: RegExp, value: string): Promise<void> {
    await this.typeInto(card.getByPlaceholder(placeholder).first(), value);
  }

  /** Types like a person: the Playground's card renderer misses values set without key events (multi-line inputs). */
  private async typeInto(input: Locator, value: string): Promise<void> {
    await input.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.type(value);
  }

  /** Adaptive Card ChoiceSet (a Fluent combobox in the Playground): open it and pick the option. */
  async choose(card: Locator, label: string, option: RegExp): Promise<void> {
    await card.getByRole('combobox', { name: label }).first().click();
    await this.page.getByRole('option', { name: option }).first().click();
  }

  /** Presses a card button and waits until that card has been replaced or a reply arrived. */
  async pressCardButton(card: Locator, title: string): Promise<void> {
    const before = await this.botMessageCount();
    const textBefore = await card.innerText().catch(() => '');
    await card.getByRole('button', { name: title, exact: true }).first().click();
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      await this.page.waitForTimeout(300);
      const now = await card.innerText().catch(() => '');
      if (now !== textBefore || (await this.botMessageCount()) > before) break;
    }
    await this.settle();
  }

  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(this.out, `${name}.png`) });
  }

  /** Screenshot of one element with a small margin, so card borders are not cut. */
  async shootElement(target: Locator, path: string, margin = 8): Promise<void> {
    await target.scrollIntoViewIfNeeded();
    const box = await target.boundingBox();
    if (!box) {
      await target.screenshot({ path });
      return;
    }
    const x = Math.max(0, box.x - margin);
    const y = Math.max(0, box.y - margin);
    await this.page.screenshot({ path, clip: { x, y, width: box.width + 2 * margin, height: box.height + 2 * margin } });
  }

  async settle(ms = 1500): Promise<void> {
    await this.page.waitForTimeout(ms);
  }

  private editor(): Locator {
    return this.page.locator('[data-lexical-editor="true"]');
  }

  private async botMessageCount(): Promise<number> {
    return (await this.page.evaluate(`document.querySelectorAll(${JSON.stringify(BOT_AVATAR)}).length`)) as number;
  }

  private async waitForBot(before: number): Promise<void> {
    await this.page
      .waitForFunction(`document.querySelectorAll(${JSON.stringify(BOT_AVATAR)}).length > ${before}`, undefined, {
        timeout: REPLY_TIMEOUT_MS,
      })
      .catch(() => console.log(`     (${this.name}: no new bot message within ${REPLY_TIMEOUT_MS / 1000}s)`));
    await this.settle(800);
  }
}

const BOT_AVATAR = 'span[role="img"][aria-label="Custodian"]';

/**
 * Page-side code, kept as text because this project compiles without DOM types: marks the newest
 * bot message, found as the smallest ancestor of a bot avatar that holds content.
 */
const MARK_LAST_BOT_MESSAGE = `function (marker) {
  const avatars = Array.from(document.querySelectorAll(${JSON.stringify(BOT_AVATAR)})).filter((node) => !node.closest('[role="tree"],[role="menu"]'));
  let last = null;
  for (const avatar of avatars) {
    let node = avatar.parentElement;
    while (node && !node.querySelector('.fai-OutputCard, p, .ac-adaptiveCard')) node = node.parentElement;
    if (node) last = node.querySelector('.fai-OutputCard') || node;
  }
  if (last) last.setAttribute('data-walkthrough-last', marker);
}`;
