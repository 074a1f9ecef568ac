import assert from 'node:assert/strict';
import { parseCommand, parseRequestLine, stripMentions, type Command } from '../../src/teams/command-parser';

describe('stripMentions', () => {
  it('removes bot mentions, non-breaking spaces and extra whitespace', () => {
    assert.equal(stripMentions('<at>Custodian</at>&nbsp; status   CUS-2025-0042 '), 'status CUS-2025-0042');
    assert.equal(stripMentions('<AT>Custodian Bot</AT> help'), 'help');
  });
});

describe('parseCommand', () => {
  const simple: [string, Command][] = [
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['<at>Custodian</at>', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['<at>Custodian</at> help', { kind: 'help' }],
    ['request', { kind: 'request-form' }],
    ['Request  ', { kind: 'request-form' }],
    ['<at>Custodian</at> request', { kind: 'request-form' }],
    ['status', { kind: 'status', id: undefined }],
    ['status CUS-2025-0042', { kind: 'status', id: 'CUS-2025-0042' }],
    ['Status   cus-2025-0042 ', { kind: 'status', id: 'cus-2025-0042' }],
    ['mine', { kind: 'mine' }],
    ['conversations', { kind: 'conversations' }],
    ['<at>Custodian</at> Conversations', { kind: 'conversations' }],
    ['<at>Custodian</at> Mine', { kind: 'mine' }],
    ['cancel', { kind: 'cancel', id: undefined }],
    ['cancel CUS-2025-0042', { kind: 'cancel', id: 'CUS-2025-0042' }],
    ['release', { kind: 'release', id: undefined }],
    ['release CUS-2025-0042', { kind: 'release', id: 'CUS-2025-0042' }],
    ['extend', { kind: 'extend', id: undefined, duration: undefined, reason: undefined }],
    [
      'extend CUS-2025-0042 for 2h because the export is still running for hours',
      { kind: 'extend', id: 'CUS-2025-0042', duration: '2h', reason: 'the export is still running for hours' },
    ],
    ['Extend cus-2025-0042 FOR 1h 30m', { kind: 'extend', id: 'cus-2025-0042', duration: '1h 30m', reason: undefined }],
    ['extend CUS-2025-0042 because why', { kind: 'extend', id: 'CUS-2025-0042', duration: undefined, reason: 'why' }],
    ['grant me everything', { kind: 'unknown', text: 'grant me everything' }],
    ['<at>Custodian</at> hello there', { kind: 'unknown', text: 'hello there' }],
    ['use this channel for lunch', { kind: 'unknown', text: 'use this channel for lunch' }],
  ];
  for (const [text, command] of simple) {
    it(`reads ${JSON.stringify(text)} as ${command.kind}`, () => {
      assert.deepEqual(parseCommand(text), command);
    });
  }

  describe('registering a conversation', () => {
    const cases: [string, string][] = [
      ['use this channel for approvals', 'approvals'],
      ['<at>Custodian</at> use this channel for approvals', 'approvals'],
      ['<at>Custodian</at> use this channel for approvals.', 'approvals'],
      ['Use This Channel For Approvals', 'approvals'],
      ['use this chat for approvals', 'approvals'],
      ['use this conversation for approvals', 'approvals'],
      ['<at>Custodian</at>&nbsp;use this channel for security notices.', 'security'],
      ['use this channel for security', 'security'],
      ['<at>Custodian</at> use this channel for hr', 'hr'],
      ['use this channel for HR.', 'hr'],
      ['<at>Custodian</at> use this channel for dpo', 'dpo'],
      ['use this channel for data protection', 'dpo'],
      ['use this channel for data-protection.', 'dpo'],
    ];
    for (const [text, purpose] of cases) {
      it(`reads ${JSON.stringify(text)} as registering for ${purpose}`, () => {
        assert.deepEqual(parseCommand(text), { kind: 'register', purpose });
      });
    }

    it('does not register with extra words', () => {
      assert.equal(parseCommand('please use this channel for approvals').kind, 'unknown');
      assert.equal(parseCommand('use this channel for approvals and hr').kind, 'unknown');
    });
  });

  describe('request one-liner', () => {
    const full = {
      mailbox: 'alice@contoso.com',
      ticket: 'INC-1234',
      jurisdiction: 'NO',
      access: 'full',
      folder: undefined,
      duration: '4h',
      legalBasis: undefined,
      justification: 'suspected invoice fraud, see ticket',
      noticeWithheldReason: undefined,
    };

    it('reads the documented example', () => {
      assert.deepEqual(
        parseCommand(
          'request alice@contoso.com ticket INC-1234 jurisdiction NO access full for 4h because suspected invoice fraud, see ticket',
        ),
        {
          kind: 'request',
          draft: full,
        },
      );
    });

    it('reads it with the bot mentioned first', () => {
      assert.deepEqual(
        parseCommand(
          '<at>Custodian</at> request alice@contoso.com ticket INC-1234 jurisdiction NO access full for 4h because suspected invoice fraud, see ticket',
        ),
        {
          kind: 'request',
          draft: full,
        },
      );
    });

    it('reads keywords in any order and any case', () => {
      assert.deepEqual(
        parseCommand(
          'request alice@contoso.com FOR 4h Access full Jurisdiction NO ticket INC-1234 because suspected invoice fraud, see ticket',
        ),
        {
          kind: 'request',
          draft: full,
        },
      );
    });

    it('reads a folder, a legal basis and a withheld notice', () => {
      const command = parseCommand(
        'request alice@contoso.com ticket HR-777 jurisdiction NO access read folder Archive for 2h basis suspicion withheld telling her would destroy evidence because gross breach of duty suspected',
      );
      assert.deepEqual(command, {
        kind: 'request',
        draft: {
          mailbox: 'alice@contoso.com',
          ticket: 'HR-777',
          jurisdiction: 'NO',
          access: 'read',
          folder: 'Archive',
          duration: '2h',
          legalBasis: 'suspicion',
          justification: 'gross breach of duty suspected',
          noticeWithheldReason: 'telling her would destroy evidence',
        },
      });
    });

    it('reads a withheld notice given before the justification', () => {
      const draft = parseRequestLine('alice@contoso.com ticket INC-1 withheld would alert her because fraud');
      assert.equal(draft.justification, 'fraud');
      assert.equal(draft.noticeWithheldReason, 'would alert her');
    });

    it('keeps "withheld" inside a justification as part of it (it must never waive a notice by accident)', () => {
      const draft = parseRequestLine('alice@contoso.com ticket INC-1 because payroll data was withheld from the auditors');
      assert.equal(draft.justification, 'payroll data was withheld from the auditors');
      assert.equal(draft.noticeWithheldReason, undefined);
    });

    it('lets a keyword take several words, e.g. a folder with a space', () => {
      const draft = parseRequestLine('alice@contoso.com access read folder Sent Items for 4h because reason');
      assert.equal(draft.folder, 'Sent Items');
      assert.equal(draft.duration, '4h');
    });

    it('keeps words in the justification that are keywords elsewhere', () => {
      const draft = parseRequestLine('alice@contoso.com ticket INC-1 because access for the ticket folder is needed');
      assert.equal(draft.justification, 'access for the ticket folder is needed');
      assert.equal(draft.access, undefined);
      assert.equal(draft.folder, undefined);
    });

    it('leaves out what was not given, so validation can ask for it', () => {
      assert.deepEqual(parseCommand('request alice@contoso.com'), {
        kind: 'request',
        draft: {
          mailbox: 'alice@contoso.com',
          ticket: undefined,
          jurisdiction: undefined,
          access: undefined,
          folder: undefined,
          duration: undefined,
          legalBasis: undefined,
          justification: undefined,
          noticeWithheldReason: undefined,
        },
      });
    });

    it('reads a keyword without a value as empty', () => {
      const draft = parseRequestLine('alice@contoso.com because fraud ticket');
      assert.equal(draft.justification, 'fraud ticket', 'because takes the rest of the line');
      assert.equal(parseRequestLine('alice@contoso.com ticket').ticket, '');
    });

    it('has no mailbox when the line starts with a keyword', () => {
      const draft = parseRequestLine('ticket INC-1 jurisdiction NO');
      assert.equal(draft.mailbox, undefined);
      assert.equal(draft.ticket, 'INC-1');
    });

    it('never drops a stray word: it stays with the value before it, where validation names it', () => {
      const draft = parseRequestLine('alice@contoso.com urgent ticket INC-1 jurisdiction NO');
      assert.equal(draft.mailbox, 'alice@contoso.com urgent');
      assert.equal(draft.jurisdiction, 'NO');
    });
  });
});
