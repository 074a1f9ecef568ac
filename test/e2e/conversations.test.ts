import assert from 'node:assert/strict';
import { Harness, SECURITY_CHANNEL, USERS, cardText } from '../support/harness';
import type { Place } from '../support/teams-activities';
import { channel, personal } from '../support/teams-activities';

const PRIVATE_CHAT = '19:private-chat@thread.v2';
const NEW_SECURITY_CHANNEL = '19:security-new@thread.tacv2';
const groupChat = (conversationId: string): Place => ({ kind: 'groupChat', conversationId });

describe('conversation routing through the real server', function () {
  let h: Harness;

  beforeEach(async () => {
    h = await Harness.start();
    await h.registerChannels();
  });
  afterEach(async () => h.stop());

  async function auditOf(type: string) {
    return (await h.custodian.store.listAudit({})).filter((event) => event.type === type);
  }

  it('refuses a security member who is not an admin moving the security notices to a private chat, and reports it', async () => {
    await h.say(USERS.johanna, 'use this chat for security notices', groupChat(PRIVATE_CHAT));
    assert.ok(h.connector.texts(PRIVATE_CHAT).some((text) => /Only members of the admin role .*nothing was changed/.test(text)));
    const record = await h.custodian.store.getConversation('security');
    assert.equal((record?.reference as { conversation: { id: string } }).conversation.id, SECURITY_CHANNEL, 'still the old channel');
    const [refusal] = await auditOf('refused.register-conversation');
    assert.equal(refusal.actor.aadObjectId, USERS.johanna.aadObjectId);
    assert.equal(refusal.details.purpose, 'security');
    assert.ok(
      h.connector
        .cards(SECURITY_CHANNEL)
        .map(cardText)
        .some((text) => text.includes('Refused action') && text.includes('Johanna Lorenz tried to register')),
      'the security channel was told',
    );
    assert.equal(h.connector.cards(PRIVATE_CHAT).length, 0, 'no notice went to the private chat');
  });

  it('an admin moving the security conversation: the old one is told, the new one is used, the audit has who and when', async () => {
    h.clock.set(Date.UTC(2026, 10, 27, 10, 15, 0));
    await h.say(USERS.megan, 'use this channel for security notices', channel(NEW_SECURITY_CHANNEL));
    assert.ok(
      h.connector.texts(NEW_SECURITY_CHANNEL).some((text) => text.includes('Done: this conversation now receives security notices')),
    );

    const told = h.connector.texts(SECURITY_CHANNEL).filter((text) => text.includes('no longer receives security notices'));
    assert.equal(told.length, 1, 'the old conversation was told once');
    assert.match(told[0], /Megan Bowen moved them to channel "19:security-new@thread\.tacv2" at 2026-11-27T10:15Z/);
    assert.ok(
      h.connector
        .cards(NEW_SECURITY_CHANNEL)
        .map(cardText)
        .some((text) => text.includes('Conversation registered') && text.includes('moved security notices from channel')),
      'the new security conversation has the notice of its own move',
    );

    const [, , moved] = await auditOf('conversation.registered');
    assert.equal(moved.actor.aadObjectId, USERS.megan.aadObjectId);
    assert.equal(moved.at, Date.UTC(2026, 10, 27, 10, 15, 0));
    assert.equal(moved.details.purpose, 'security');
    assert.match(String(moved.details.movedFrom), /19:security@thread\.tacv2/);

    // Later notices go to the new place only.
    const oldCards = h.connector.cards(SECURITY_CHANNEL).length;
    await h.say(USERS.adele, 'use this chat for approvals', groupChat(PRIVATE_CHAT));
    assert.ok(
      h.connector
        .cards(NEW_SECURITY_CHANNEL)
        .map(cardText)
        .some((text) => text.includes('Adele Vance tried to register')),
    );
    assert.equal(h.connector.cards(SECURITY_CHANNEL).length, oldCards, 'the old channel receives nothing more');

    // "conversations" shows where things go, who chose it and when; only to the security role.
    await h.say(USERS.johanna, 'conversations', personal(USERS.johanna));
    const list = cardText(h.personalCards(USERS.johanna).at(-1));
    assert.match(list, /security notices\nchannel "19:security-new@thread\.tacv2" · registered by Megan Bowen at 2026-11-27T10:15Z/);
    assert.match(list, /approval cards\nchannel "19:approvals@thread\.tacv2" · registered by Megan Bowen/);
    assert.match(list, /HR notices\nnot registered/);
    await h.say(USERS.adele, 'conversations', personal(USERS.adele));
    assert.ok(h.personalTexts(USERS.adele).some((text) => text.includes('Only members of the security role')));
    assert.equal((await auditOf('refused.conversations-query')).length, 1);
  });

  it('registering the same conversation again is not a move: nobody is told it moved', async () => {
    await h.say(USERS.megan, 'use this channel for security notices', channel(SECURITY_CHANNEL));
    assert.equal(h.connector.texts(SECURITY_CHANNEL).filter((text) => text.includes('no longer receives')).length, 0);
    const registered = await auditOf('conversation.registered');
    assert.equal(registered.at(-1)?.details.movedFrom, undefined);
  });
});
