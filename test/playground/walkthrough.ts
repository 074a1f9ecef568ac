/**
 * A scripted walk through the local demo in the Microsoft 365 Agents Playground, as its three
 * users would click through it. Not part of the mocha suite: run it while `npm start` runs:
 *
 *   npx tsx test/playground/walkthrough.ts
 *
 * Step screenshots go to PG_OUT (default /tmp/pg); the cropped README pictures go to
 * bot/screenshots when README_SHOTS=1. Needs a local Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium); it never downloads one.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PlaygroundView } from './playground-view';

const OUT = process.env.PG_OUT ?? '/tmp/pg';
const README_DIR = resolve(__dirname, '..', '..', 'bot', 'screenshots');
const README = process.env.README_SHOTS === '1';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const problems: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
}

async function readme(view: PlaygroundView, name: string, target: Parameters<PlaygroundView['shootElement']>[0]): Promise<void> {
  if (README) await view.shootElement(target, join(README_DIR, name));
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (README) mkdirSync(README_DIR, { recursive: true });
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const megan = await PlaygroundView.open(browser, 'http://localhost:56151', 'megan', OUT);
    const adele = await PlaygroundView.open(browser, 'http://localhost:56150', 'adele', OUT);
    const nestor = await PlaygroundView.open(browser, 'http://localhost:56152', 'nestor', OUT);

    // 0. Earlier runs leave requests open in ./data; Adele withdraws or ends them first.
    await adele.openConversation('Personal Chat');
    await adele.send('mine');
    const listed = (await (await adele.lastCard()).innerText()).replace(/\s+/g, ' ');
    for (const open of listed.matchAll(/(CUS-\d{4}-\d+) (pending|active|approved|granting)\b/gi)) {
      await adele.send(`${open[2].toLowerCase() === 'pending' ? 'cancel' : 'release'} ${open[1]}`);
      console.log(`     cleanup: ${open[1]} was ${open[2]}: ${await adele.lastBotText()}`);
    }

    // 1. Megan registers the approvals channel and the security group chat.
    await megan.openConversation(/Approvals$/);
    let reply = await megan.mention('use this channel for approvals');
    check(/now receives approval cards/.test(reply), `Megan registers channel Approvals: "${reply}"`);
    await megan.shot('01-megan-register-approvals');
    await megan.openConversation('Security team');
    reply = await megan.mention('use this chat for security notices');
    check(/now receives security notices/.test(reply), `Megan registers chat Security team: "${reply}"`);
    await megan.shot('02-megan-register-security');

    // 2. Adele: help, the form (with errors, then corrected), then the one-liner.
    await adele.openConversation('Personal Chat');
    await adele.send('help');
    const help = await adele.lastBotMessage();
    const helpText = await help.innerText();
    check(/request/.test(helpText), 'help answers');
    check(
      !/&lt;|&gt;|&amp;/.test(helpText),
      `help shows no HTML entities (found: ${(helpText.match(/&\w+;/g) ?? []).join(' ') || 'none'})`,
    );
    await adele.shot('03-adele-help');
    await readme(adele, 'help.png', help);

    await adele.send('request');
    let form = await adele.lastCard();
    check(/Request mailbox access/.test(await form.innerText()), 'request shows the form card');
    await adele.shot('04-adele-form-empty');
    await adele.fillText(form, 'Mailbox (UPN or e-mail)', 'alex@contoso.com');
    await adele.fillText(form, 'Ticket ID', 'nope');
    await adele.choose(form, 'Jurisdiction (whose rules apply)', /\(EU\)/);
    await adele.choose(form, 'Access level (choose the narrowest that does the job)', /^FullAccess/);
    await adele.fillText(form, 'Duration', '4h');
    await adele.shootElement(form, join(OUT, '05-adele-form-filled.png'));
    await readme(adele, 'request-form.png', form);
    await adele.pressCardButton(form, 'Submit request');
    form = await adele.lastCard();
    const errorsText = await form.innerText();
    check(/Please correct 2 fields/.test(errorsText), `form names the number of bad fields: ${firstLine(errorsText, /correct/)}`);
    check(/ticket/i.test(errorsText) && /justification/i.test(errorsText), 'form names ticket and justification errors');
    await adele.shootElement(form, join(OUT, '06-adele-form-errors.png'));
    await readme(adele, 'request-form-errors.png', form);
    await adele.fillText(form, 'Ticket ID', 'INC-1234');
    await adele.fillText(
      form,
      'Justification',
      "Alex is on sick leave; the finance team needs the supplier contract thread for tomorrow's audit.",
    );
    await adele.pressCardButton(form, 'Submit request');
    const first = await adele.lastCard();
    const firstText = await first.innerText();
    const firstId = requestId(firstText);
    check(firstId !== '', `form submission shows a request card (${firstId || firstLine(firstText)})`);
    await adele.shootElement(first, join(OUT, '07-adele-status-pending.png'));

    await adele.send('request diego@contoso.com ticket INC-99 jurisdiction GLOBAL access read for 2h because checking a lost invoice');
    const second = await adele.lastCard();
    const secondId = requestId(await second.innerText());
    check(secondId !== '', `one-line request shows a request card (${secondId})`);
    await adele.shootElement(second, join(OUT, '08-adele-status-oneliner.png'));

    // 3. Megan decides in the Approvals channel: approve the first with a comment, reject the second.
    await megan.openConversation(/Approvals$/);
    const approvalFirst = await megan.cardContaining(firstId);
    check(approvalFirst !== null, `approval card for ${firstId} appears in Approvals`);
    const approvalSecond = await megan.cardContaining(secondId);
    check(approvalSecond !== null, `approval card for ${secondId} appears in Approvals`);
    await megan.shot('09-megan-approvals-channel');
    if (approvalFirst) {
      await approvalFirst.scrollIntoViewIfNeeded();
      await megan.shootElement(approvalFirst, join(OUT, '10-megan-approval-card.png'));
      await readme(megan, 'approval-card.png', approvalFirst);
      await megan.fillByPlaceholder(approvalFirst, /^Comment/, 'Approved for the audit; keep it to the contract thread.');
      await megan.pressCardButton(approvalFirst, 'Approve');
      const after = (await megan.cardContaining(firstId)) ?? approvalFirst;
      const afterText = await after.innerText();
      check(!(await hasButton(after, 'Approve')), 'approved card no longer offers Approve');
      check(/Active|Approved|Granted/i.test(afterText), `approved card shows the new status: ${firstLine(afterText, /CUS-/)}`);
      check(/Approved for the audit/.test(afterText), "approved card shows the approver's comment");
      await megan.shootElement(after, join(OUT, '11-megan-approval-card-approved.png'));
      await readme(megan, 'approval-card-approved.png', after);
    }
    if (approvalSecond) {
      await megan.fillByPlaceholder(approvalSecond, /^Comment/, 'Use the finance shared mailbox instead.');
      await megan.pressCardButton(approvalSecond, 'Reject');
      const after = (await megan.cardContaining(secondId)) ?? approvalSecond;
      check(/Rejected/i.test(await after.innerText()), 'rejected card shows Rejected');
      await megan.shootElement(after, join(OUT, '12-megan-approval-card-rejected.png'));
    }
    await megan.openConversation('Security team');
    await megan.settle();
    await megan.shot('13-megan-security-team');
    const notice = await megan.cardContaining(firstId);
    check(notice !== null, `security notice about ${firstId} in Security team`);
    if (notice) {
      await megan.shootElement(notice, join(OUT, '14-megan-security-notice.png'));
      await readme(megan, 'security-notice.png', notice);
    }

    // Adele's original status cards should have been updated in place.
    await adele.openConversation('Personal Chat');
    await adele.settle();
    await adele.shot('15-adele-after-decisions');
    const firstNow = await adele.cardContaining(firstId);
    check(firstNow !== null && /Active|Granted|Approved/i.test(await firstNow.innerText()), `Adele's card for ${firstId} updated in place`);
    const secondNow = await adele.cardContaining(secondId);
    check(secondNow !== null && /Rejected/i.test(await secondNow.innerText()), `Adele's card for ${secondId} updated in place`);

    // 4. Adele: status, mine, release.
    await adele.send('status');
    const status = await adele.lastCard();
    await adele.shootElement(status, join(OUT, '16-adele-status.png'));
    await readme(adele, 'status-card.png', status);
    await adele.send('mine');
    const mine = await adele.lastCard();
    check(/Your requests/.test(await mine.innerText()), 'mine lists requests');
    await adele.shootElement(mine, join(OUT, '17-adele-mine.png'));
    await adele.send(`release ${firstId}`);
    const released = await adele.lastBotText();
    check(/Access ended|revocation started/.test(released), `release answers: "${released}"`);
    await adele.shot('18-adele-release');

    // 5. Norway: Nestor registers HR, Adele requests, Nestor attests and approves, Megan approves.
    await nestor.openConversation(/HR$/);
    reply = await nestor.mention('use this channel for hr');
    check(/now receives HR notices/.test(reply), `Nestor registers channel HR: "${reply}"`);
    await nestor.shot('19-nestor-register-hr');
    await adele.send(
      'request alex@contoso.com ticket INC-5555 jurisdiction NO access read for 2h basis operations because employee on leave, urgent customer escalation',
    );
    const norway = await adele.lastCard();
    const norwayId = requestId(await norway.innerText());
    check(norwayId !== '', `Norway request card (${norwayId})`);
    await adele.shootElement(norway, join(OUT, '20-adele-norway-pending.png'));

    await nestor.openConversation(/HR$/);
    await nestor.settle();
    await nestor.shot('21-nestor-hr-channel');
    let hrCard = await nestor.cardContaining(norwayId, 'Approve');
    check(hrCard !== null, `HR channel shows the approval card for ${norwayId}`);
    if (!hrCard) {
      // Without a card in the HR channel, Nestor can still open the request in his personal chat.
      await nestor.openConversation('Personal Chat');
      await nestor.send(`status ${norwayId}`);
      hrCard = await nestor.cardContaining(norwayId, 'Approve');
      console.log(`     Nestor uses "status ${norwayId}" in his personal chat: ${hrCard ? 'card with Approve' : 'no approvable card'}`);
    }
    check(hrCard !== null, `Nestor has an approval card for ${norwayId}`);
    if (hrCard) {
      await nestor.shootElement(hrCard, join(OUT, '22-nestor-norway-card.png'));
      const attest = hrCard.getByRole('button', { name: /^✔/ });
      check((await attest.count()) > 0, 'Nestor sees the attestation button');
      if ((await attest.count()) > 0) {
        await attest.first().click();
        await nestor.settle(3000);
        hrCard = (await nestor.cardContaining(norwayId, 'Approve')) ?? hrCard;
        await nestor.shootElement(hrCard, join(OUT, '23-nestor-attested.png'));
      }
      await nestor.fillByPlaceholder(hrCard, /^Comment/, 'HR: employee informed and heard.');
      await nestor.pressCardButton(hrCard, 'Approve');
      const after = (await nestor.cardContaining(norwayId)) ?? hrCard;
      await nestor.shootElement(after, join(OUT, '24-nestor-approved.png'));
    }

    await megan.openConversation(/Approvals$/);
    const meganNorway = await megan.cardContaining(norwayId);
    check(meganNorway !== null, `Megan has the approval card for ${norwayId}`);
    if (meganNorway) {
      await megan.shootElement(meganNorway, join(OUT, '25-megan-norway-before.png'));
      check(/hr: Nestor/.test(await meganNorway.innerText()), "Megan's copy already shows Nestor's HR approval (updated in place)");
      await megan.pressCardButton(meganNorway, 'Approve');
      const after = (await megan.cardContaining(norwayId)) ?? meganNorway;
      const text = await after.innerText();
      check(/Nestor/.test(text) && /Megan/.test(text), 'Norway card lists both approvals');
      await megan.shootElement(after, join(OUT, '26-megan-norway-approved.png'));
      await readme(megan, 'norway-approval-card.png', after);
    }
    await adele.settle();
    const adeleNorway = await adele.cardContaining(norwayId);
    if (adeleNorway) await adele.shootElement(adeleNorway, join(OUT, '27-adele-norway-final.png'));
    await adele.shot('28-adele-chat-end');
    await megan.openConversation('Security team');
    await megan.shot('29-megan-security-end');
  } finally {
    await browser.close();
  }
  console.log(problems.length === 0 ? '\nAll checks passed.' : `\n${problems.length} check(s) failed:\n- ${problems.join('\n- ')}`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}

function requestId(text: string): string {
  return /CUS-\d{4}-\d{4,}/.exec(text)?.[0] ?? '';
}

function firstLine(text: string, near?: RegExp): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (near ? lines.find((line) => near.test(line)) : lines[0]) ?? '';
}

async function hasButton(card: import('playwright-core').Locator, name: string): Promise<boolean> {
  return (await card.getByRole('button', { name, exact: true }).count()) > 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
