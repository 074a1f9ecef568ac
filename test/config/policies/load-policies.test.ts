import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicies, parsePolicies } from '../../../src/config/policies/load-policies';
import { FIXTURES, assertSingleProblem, minimalWith, policyError } from './expect-policy-error';

describe('loadPolicies / parsePolicies', () => {
  describe('valid files', () => {
    it('fills the optional fields with their documented defaults', () => {
      const policies = loadPolicies(join(FIXTURES, 'minimal.yaml'));
      const pack = policies.jurisdictions.GLOBAL;
      assert.deepEqual(pack, {
        code: 'GLOBAL',
        name: 'Everywhere',
        accessLevels: ['ReadFolder'],
        minDurationMinutes: 15,
        maxDurationMinutes: 480,
        defaultDurationMinutes: 60,
        ticketPattern: 'INC-\\d+',
        ticketExample: 'INC-1',
        pendingTtlMinutes: 1440,
        reminderBeforeMinutes: 0,
        legalBases: [],
        approvals: [{ role: 'security', count: 1 }],
        steps: [],
        afterAccessNotice: false,
        requireMailboxAudit: true,
        conflictOfInterestApprovals: 0,
        extensions: { allowed: false, maxTotalMinutes: 480 },
      });
      assert.deepEqual(policies.roles.admin, { name: 'admin', members: ['a0000000-0000-4000-8000-000000000002'] });
    });

    it('shares a template through anchors and merge keys, overriding single fields', () => {
      const policies = loadPolicies(join(FIXTURES, 'templates.yaml'));
      const { SE, DK, DE } = policies.jurisdictions;
      assert.equal(DK.name, 'Denmark');
      assert.equal(DK.code, 'DK');
      assert.deepEqual({ ...DK, code: 'SE', name: 'Sweden' }, SE);
      assert.equal(SE.defaultDurationMinutes, 90, '1h30m');
      assert.equal(SE.pendingTtlMinutes, 2 * 24 * 60);
      assert.equal(DE.maxDurationMinutes, 12 * 60);
      assert.equal(DE.steps[0].target, 'privacy@example.com');
      assert.equal(policies.fallback, 'GLOBAL');
    });

    it('accepts a role given by group only, lower-cases object IDs and drops repeated members', () => {
      const policies = loadPolicies(join(FIXTURES, 'templates.yaml'));
      assert.deepEqual(policies.roles.security, { name: 'security', members: [], groupId: 'b0000000-0000-4000-8000-000000000004' });
      assert.deepEqual(policies.roles.admin.members, ['a0000000-0000-4000-8000-00000000000a']);
    });

    it('reads NO as the text "NO", not as false', () => {
      const policies = parsePolicies(
        minimalWith((file) => (file.jurisdictions = { NO: file.jurisdictions.GLOBAL })),
        'inline',
      );
      assert.deepEqual(Object.keys(policies.jurisdictions), ['NO']);
    });

    it('loads the short-duration fixture that other suites and demos use', () => {
      const policies = loadPolicies(join(FIXTURES, 'short-durations.yaml'));
      assert.equal(policies.jurisdictions.NO.minDurationMinutes, 1);
      assert.equal(policies.jurisdictions.NO.afterAccessNotice, true);
    });
  });

  describe('files that cannot be read or parsed', () => {
    it('names the missing file', () => {
      const missing = join(tmpdir(), 'no-such-dir-custodian', 'policies.yaml');
      const error = policyError(() => loadPolicies(missing));
      assert.equal(error.source, missing);
      assert.ok(error.message.includes(missing), error.message);
      assertSingleProblem(error, 'cannot read the file: no such file');
    });

    it('names a directory given instead of a file', () => {
      const error = policyError(() => loadPolicies(FIXTURES));
      assertSingleProblem(error, 'it is a directory');
    });

    it('reports a YAML syntax error with its line and column', () => {
      const text = ['version: 1', 'roles:', '  admin: { members: [a0000000-0000-4000-8000-000000000002]', 'jurisdictions: {}', ''].join(
        '\n',
      );
      const error = policyError(() => parsePolicies(text, 'broken.yaml'));
      assert.match(error.message, /^Policy file broken\.yaml is not valid/);
      assert.ok(error.problems.length >= 1);
      assert.ok(error.problems.every((problem) => problem.line !== undefined && problem.column !== undefined));
      assert.match(error.message, /line [34], column \d+: YAML syntax error: /);
    });

    it('explains that a backslash in double quotes is a YAML escape', () => {
      const text = readFileSync(join(FIXTURES, 'minimal.yaml'), 'utf8').replace(`'INC-\\d+'`, `"INC-\\d+"`);
      const error = policyError(() => parsePolicies(text, 'quotes.yaml'));
      assertSingleProblem(error, 'line 16', 'Invalid escape sequence \\d');
    });

    it('refuses a jurisdiction written twice, with the line of the second', () => {
      const text = readFileSync(join(FIXTURES, 'minimal.yaml'), 'utf8') + '  GLOBAL:\n    name: Again\n';
      const error = policyError(() => parsePolicies(text, 'twice.yaml'));
      assertSingleProblem(error, 'line 21', 'unique');
    });

    it('refuses an alias to an anchor that does not exist', () => {
      const text = readFileSync(join(FIXTURES, 'minimal.yaml'), 'utf8') + '  SE:\n    <<: *gdpr\n';
      const error = policyError(() => parsePolicies(text, 'alias.yaml'));
      assertSingleProblem(error, 'line 22', 'the alias *gdpr refers to an anchor &gdpr that is not defined');
    });

    it('refuses an empty file', () => {
      const error = policyError(() => parsePolicies('# nothing yet\n', 'empty.yaml'));
      assertSingleProblem(error, 'expected a mapping with the fields version, roles and jurisdictions, found an empty file');
    });

    it('refuses a list at the top', () => {
      const error = policyError(() => parsePolicies('- NO\n- EU\n', 'list.yaml'));
      assertSingleProblem(error, 'found a list of 2');
    });
  });

  describe('several problems', () => {
    it('lists every problem in file order, each with jurisdiction, field, line, expected and found', () => {
      const text = [
        'version: 1', // 1
        'roles:', // 2
        '  admin: { members: [a0000000-0000-4000-8000-000000000002] }', // 3
        '  security: { members: [a0000000-0000-4000-8000-000000000006] }', // 4
        'jurisdictions:', // 5
        '  NO:', // 6
        '    name: Norway', // 7
        '    accessLevels: [FullAccess]', // 8
        '    minDuration: 15m', // 9
        '    defaultDuration: 4h', // 10
        '    maxDuration: 8', // 11
        '    pendingTtl: 24h', // 12
        "    ticketPattern: 'INC-\\d+'", // 13
        '    ticketExample: INC-1', // 14
        '    approvals: [{ role: hr, count: 1 }]', // 15
        '  EU:', // 16
        '    name: EU', // 17
        '    accessLevels: [FullAccess]', // 18
        '    minDuration: 15m', // 19
        '    defaultDuration: 1d', // 20
        '    maxDuration: 8h', // 21
        '    pendingTtl: 24h', // 22
        "    ticketPattern: 'INC-\\d+'", // 23
        '    ticketExample: CHG-1', // 24
        '    approvals: [{ role: security, count: 1 }]', // 25
        '    notes: hello', // 26
        '',
      ].join('\n');
      const error = policyError(() => parsePolicies(text, 'several.yaml'));
      const lines = error.message.split('\n');
      assert.equal(lines[0], 'Policy file several.yaml is not valid (5 problems):');
      assert.deepEqual(
        lines.slice(1).map((line) => line.slice(0, line.indexOf(':'))),
        [
          '  - jurisdiction NO, field maxDuration, line 11, column 18',
          '  - jurisdiction NO, field approvals[0].role, line 15, column 25',
          '  - jurisdiction EU, field defaultDuration, line 20, column 22',
          '  - jurisdiction EU, field ticketExample, line 24, column 20',
          '  - jurisdiction EU, field notes, line 26, column 12',
        ],
      );
      assert.match(lines[1], /expected a duration with a unit, like 15m, 8h, 2d or 1h30m, found the number 8$/);
      assert.match(lines[2], /expected a role defined under roles \(admin, security\), found "hr"$/);
      assert.match(lines[3], /expected at most maxDuration \(8h\), found 1d$/);
      assert.match(lines[4], /expected a ticket ID that matches ticketPattern INC-\\d\+, found "CHG-1"$/);
      assert.match(lines[5], /unknown field "notes"/);
      assert.deepEqual(error.problems[0].path, ['jurisdictions', 'NO', 'maxDuration']);
    });

    it('loads nothing from a file with a problem, even when other packs are valid', () => {
      const dir = mkdtempSync(join(tmpdir(), 'custodian-policies-'));
      try {
        const file = join(dir, 'policies.yaml');
        writeFileSync(
          file,
          minimalWith((f) => {
            f.jurisdictions.NO = { ...f.jurisdictions.GLOBAL, name: 'Norway', maxDuration: 'soon' };
          }),
        );
        const error = policyError(() => loadPolicies(file));
        assert.ok(error.message.startsWith(`Policy file ${file} is not valid (1 problem):`), error.message);
        assertSingleProblem(error, 'jurisdiction NO, field maxDuration', 'found "soon"');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
