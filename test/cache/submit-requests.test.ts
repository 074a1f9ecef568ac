import assert from 'node:assert/strict';
import { Harness, USERS, cardText } from '../support/harness';

// What a submit turn asks of Microsoft 365, counted where the requests arrive: the simulated tenant.

const SUBMIT = 'request alex@contoso.com ticket INC-1 jurisdiction EU access read for 1h because phishing investigation';

/** Requests by what they asked for: a cmdlet on a mailbox, a Graph method and path, a token for a scope. */
function requestsByKind(h: Harness): Map<string, number> {
  return new Map(h.tenant.state.askedFor);
}

function total(h: Harness): number {
  return ['token', 'graph', 'exchange'].reduce((sum, tag) => sum + h.tenant.state.callCount(tag), 0);
}

async function submit(h: Harness, ticket: string): Promise<string> {
  await h.say(USERS.adele, SUBMIT.replace('INC-1', ticket));
  const id = /CUS-\d{4}-\d{4}/.exec(cardText(h.personalCards(USERS.adele).at(-1)));
  assert.ok(id, `the submit was not accepted: ${cardText(h.personalCards(USERS.adele).at(-1))}`);
  return id[0];
}

describe('requests to Microsoft 365 on a submit turn', function () {
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start();
    await h.registerChannels();
    await h.settle();
    h.tenant.state.askedFor = new Map();
  });
  afterEach(async () => h.stop());

  it('cold: each kind of look-up at most once', async () => {
    h.tenant.state.resetCounters();
    await submit(h, 'INC-1');
    const kinds = requestsByKind(h);
    for (const [kind, count] of kinds) assert.equal(count, 1, `${kind} was asked ${count} times: ${JSON.stringify([...kinds])}`);
    assert.ok(kinds.size > 6, 'a cold submit looks up the directory and Exchange');
    assert.ok(
      [...kinds.keys()].some((kind) => kind.startsWith('exchange:Get-Mailbox exchange-mailbox:alex@contoso.com')),
      'the mailbox is looked up in Exchange',
    );
  });

  it('warm: at most 6 requests, each kind at most once', async () => {
    const first = await submit(h, 'INC-1');
    await h.say(USERS.adele, `cancel ${first}`);
    await h.settle();
    h.tenant.state.resetCounters();
    await submit(h, 'INC-2');
    const kinds = requestsByKind(h);
    for (const [kind, count] of kinds) assert.equal(count, 1, `${kind} was asked ${count} times: ${JSON.stringify([...kinds])}`);
    assert.ok(total(h) <= 6, `${total(h)} requests: ${JSON.stringify([...kinds])}`);
    assert.equal(h.tenant.state.callCount('token'), 0, 'tokens come from the cache');
  });
});
