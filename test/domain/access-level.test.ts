import assert from 'node:assert/strict';
import {
  ACCESS_LEVEL_LABELS,
  accessHelpLine,
  accessLevelList,
  accessLevelSpec,
  defaultFolderOf,
  describeAccess,
  folderForRequest,
  heldKindOf,
  isAccessLevel,
  levelExplains,
  parseAccessLevel,
  sweptFolders,
} from '../../src/domain/access-level';
import { assertNever } from '../../src/domain/assert-never';
import { isBuiltInHolder } from '../../src/domain/built-in-holder';
import type { HeldPermission } from '../../src/domain/drift-permission';
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
    ['Calendar', 'Calendar'],
    ['cal', 'Calendar'],
    ['read-calendar', 'Calendar'],
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

  it('names the calendar as the mailbox does once granted, and by its English name before', () => {
    assert.equal(describeAccess('Calendar', 'Kalender'), 'Read-only access to Kalender');
    assert.equal(describeAccess('Calendar'), 'Read-only access to Calendar');
  });

  it('has a label for every access level', () => {
    for (const level of ACCESS_LEVELS) assert.ok(ACCESS_LEVEL_LABELS[level], level);
  });
});

describe('the access-level table', () => {
  it('reads every level by its name and every alias, and no alias names two levels', () => {
    const seen = new Map<string, AccessLevel>();
    for (const level of ACCESS_LEVELS) {
      assert.equal(parseAccessLevel(level), level);
      for (const alias of accessLevelSpec(level).aliases) {
        assert.equal(parseAccessLevel(alias), level, alias);
        assert.equal(seen.get(alias), undefined, `${alias} is an alias of ${seen.get(alias)} and ${level}`);
        seen.set(alias, level);
      }
    }
  });

  it('knows its levels and nothing else', () => {
    for (const level of ACCESS_LEVELS) assert.ok(isAccessLevel(level));
    for (const other of ['Owner', 'toString', '', 7, undefined]) assert.equal(isAccessLevel(other), false);
  });

  it('lists the levels for error texts in table order', () => {
    assert.equal(accessLevelList(), `${ACCESS_LEVELS.slice(0, -1).join(', ')} or ${ACCESS_LEVELS.at(-1)}`);
  });

  it("gives a typed folder only where the requester chooses, and the level's own folder otherwise", () => {
    assert.equal(folderForRequest('ReadFolder', 'Projects'), 'Projects');
    assert.equal(folderForRequest('ReadFolder', '  '), defaultFolderOf('ReadFolder'));
    assert.equal(folderForRequest('FullAccess', 'Projects'), undefined);
    assert.equal(folderForRequest('SendOnBehalf', undefined), undefined);
    assert.equal(folderForRequest('Calendar', 'Inbox'), 'Calendar', 'the calendar level is always on the calendar');
    assert.deepEqual(sweptFolders(), ['Inbox', 'Calendar']);
  });

  it('sweeps each folder a level defaults to, once', () => {
    const folders = ACCESS_LEVELS.map(defaultFolderOf).filter((folder) => folder !== undefined);
    assert.deepEqual(sweptFolders(), [...new Set(folders)]);
    assert.ok(sweptFolders().includes('Inbox'));
  });

  it('puts every level in the help text by its first alias', () => {
    for (const level of ACCESS_LEVELS) assert.ok(accessHelpLine().includes(`\`${accessLevelSpec(level).aliases[0]}\``), level);
  });

  describe('which held permission explains a grant', () => {
    const held = (p: Partial<HeldPermission>): HeldPermission => ({
      mailbox: 'alex@contoso.com',
      grantee: 'adele@contoso.com',
      kind: 'Folder',
      ...p,
    });

    it('matches each level with the kind its mechanism shows up as, and no other', () => {
      for (const level of ACCESS_LEVELS) {
        const kind = heldKindOf(accessLevelSpec(level).grant);
        const own = held({ kind, folder: defaultFolderOf(level), role: 'Reviewer' });
        assert.ok(levelExplains(level, undefined, own), level);
        for (const other of ['FullAccess', 'SendAs', 'SendOnBehalf', 'Folder'] as const)
          if (other !== kind) assert.equal(levelExplains(level, undefined, { ...own, kind: other }), false, `${level} / ${other}`);
      }
    });

    it('a folder grant explains only Reviewer alone on its own folder, as the mailbox names it', () => {
      assert.ok(levelExplains('ReadFolder', 'Innboks', held({ folder: 'innboks', role: 'Reviewer' })));
      assert.equal(levelExplains('ReadFolder', 'Innboks', held({ folder: 'Inbox', role: 'Reviewer' })), false);
      assert.equal(levelExplains('ReadFolder', 'Inbox', held({ folder: 'Inbox', role: 'Editor' })), false);
      assert.equal(levelExplains('ReadFolder', 'Inbox', held({ folder: 'Inbox', role: 'Reviewer,Editor' })), false);
      assert.equal(levelExplains('ReadFolder', 'Inbox', held({ role: 'Reviewer' })), false);
    });
  });
});

describe('built-in folder and mailbox holders', () => {
  it('are the folder defaults, NT AUTHORITY accounts and well-known SIDs', () => {
    for (const name of [
      'Default',
      'anonymous',
      'NT AUTHORITY\\SELF',
      'NT AUTHORITY\\SYSTEM',
      'S-1-5-10',
      'S-1-5-21-1-2-3-500',
      'NT:S-1-5-18',
    ])
      assert.ok(isBuiltInHolder(name), name);
  });

  it("are never a person, a deleted person's SID or a role group", () => {
    for (const name of [
      'adele@contoso.com',
      'Default Approvers',
      'Adele Vance',
      'S-1-5-21-1180699209-877415012-3182924384-1004',
      'Discovery Management',
    ])
      assert.equal(isBuiltInHolder(name), false, name);
  });
});

describe('assertNever', () => {
  it('fails closed on a value no case handled', () => {
    assert.throws(() => assertNever('Owner' as never, 'access level'), /Unhandled access level: "Owner"/);
  });
});
