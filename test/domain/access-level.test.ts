import assert from 'node:assert/strict';
import { ACCESS_LEVEL_LABELS, describeAccess, parseAccessLevel } from '../../src/domain/access-level';
import { ACCESS_LEVELS, type AccessLevel } from '../../src/domain/types';

describe('parseAccessLevel', () => {
  const accepted: [string, AccessLevel][] = [
    ['FullAccess', 'FullAccess'],
    ['fullaccess', 'FullAccess'],
    ['full', 'FullAccess'],
    ['Full Access', 'FullAccess'],
    ['full_access', 'FullAccess'],
    ['ReadFolder', 'ReadFolder'],
    ['read', 'ReadFolder'],
    ['read-only', 'ReadFolder'],
    ['Read only', 'ReadFolder'],
    ['reviewer', 'ReadFolder'],
    ['folder', 'ReadFolder'],
    ['SendOnBehalf', 'SendOnBehalf'],
    ['send-on-behalf', 'SendOnBehalf'],
    ['send on behalf', 'SendOnBehalf'],
    ['sob', 'SendOnBehalf'],
    ['on-behalf', 'SendOnBehalf'],
    ['  FULL  ', 'FullAccess'],
  ];
  for (const [text, level] of accepted) {
    it(`reads ${JSON.stringify(text)} as ${level}`, () => {
      assert.equal(parseAccessLevel(text), level);
    });
  }

  for (const text of ['', '  ', 'write', 'owner', 'sendas', 'fullaccessplus', 'toString']) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.equal(parseAccessLevel(text), null);
    });
  }
});

describe('describeAccess', () => {
  it('names the folder for read-only access, Inbox when none was given', () => {
    assert.equal(describeAccess('ReadFolder', 'Projects'), 'Read-only access to Projects');
    assert.equal(describeAccess('ReadFolder'), 'Read-only access to Inbox');
  });

  it('uses the label of the other levels and ignores a folder for them', () => {
    assert.equal(describeAccess('FullAccess', 'Projects'), 'FullAccess (whole mailbox, no auto-mapping)');
    assert.equal(describeAccess('SendOnBehalf'), 'Send on behalf');
  });

  it('has a label for every access level', () => {
    for (const level of ACCESS_LEVELS) assert.ok(ACCESS_LEVEL_LABELS[level], level);
  });
});
