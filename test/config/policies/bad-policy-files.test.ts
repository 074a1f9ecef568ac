import assert from 'node:assert/strict';
import { ACCESS_LEVELS } from '../../../src/domain/access-level';
import { parsePolicies } from '../../../src/config/policies/load-policies';
import { assertSingleProblem, minimalWith, policyError } from './expect-policy-error';

type File = { [key: string]: any };

/** The single problem of the minimal file after `change`, as its message line. */
function problemAfter(change: (file: File) => void) {
  return policyError(() => parsePolicies(minimalWith(change), 'bad.yaml'));
}

const pack = (file: File) => file.jurisdictions.GLOBAL;

describe('bad policy files', () => {
  it('names the file, and shows where the problem is as a path and a line', () => {
    const error = problemAfter((file) => (pack(file).maxDuration = '8 parsecs'));
    assert.equal(error.source, 'bad.yaml');
    assert.match(
      error.message,
      /^Policy file bad\.yaml is not valid \(1 problem\):\n {2}- jurisdiction GLOBAL, field maxDuration, line \d+, column \d+: /,
    );
    assert.deepEqual(error.problems[0].path, ['jurisdictions', 'GLOBAL', 'maxDuration']);
    assert.equal(typeof error.problems[0].line, 'number');
  });

  describe('shape of fields', () => {
    it('unknown field, with a suggestion for a typo', () => {
      const error = problemAfter((file) => {
        pack(file).maxDurration = '3h';
      });
      assertSingleProblem(error, 'jurisdiction GLOBAL, field maxDurration', 'unknown field "maxDurration" (did you mean "maxDuration"?)');
    });

    it('unknown field at the top and in a role', () => {
      const error = problemAfter((file) => {
        file.defaults = {};
        file.roles.admin.users = [];
      });
      assert.equal(error.problems.length, 2, error.message);
      assert.match(
        error.message,
        /field defaults, line \d+, column \d+: unknown field "defaults"; expected one of version, roles, jurisdictions, fallback/,
      );
      assert.match(error.message, /role admin, field users, line \d+, column \d+: unknown field "users"/);
    });

    it('wrong type: text where true or false is expected', () => {
      const error = problemAfter((file) => (pack(file).requireMailboxAudit = 'yes'));
      assertSingleProblem(error, 'field requireMailboxAudit', 'expected true or false, found "yes"');
    });

    it('wrong type: a single value where a list is expected', () => {
      const error = problemAfter((file) => (pack(file).accessLevels = 'FullAccess'));
      assertSingleProblem(error, 'field accessLevels', 'expected a list of access levels, found "FullAccess"');
    });

    it('unknown access level', () => {
      const error = problemAfter((file) => (pack(file).accessLevels = ['ReadFolder', 'Owner']));
      assertSingleProblem(error, 'field accessLevels[1]', `expected one of ${ACCESS_LEVELS.join(', ')}, found "Owner"`);
    });

    it('missing required field', () => {
      const error = problemAfter((file) => delete pack(file).ticketExample);
      assertSingleProblem(error, 'jurisdiction GLOBAL, field ticketExample', 'found nothing (the field is missing)');
    });

    it('duration without a unit', () => {
      const error = problemAfter((file) => (pack(file).maxDuration = 480));
      assertSingleProblem(error, 'field maxDuration', 'expected a duration with a unit, like 15m, 8h, 2d or 1h30m, found the number 480');
    });

    it('duration that is not one', () => {
      const error = problemAfter((file) => (pack(file).pendingTtl = 'tomorrow'));
      assertSingleProblem(error, 'field pendingTtl', 'found "tomorrow"');
    });

    it('zero duration where a positive one is needed', () => {
      const error = problemAfter((file) => (pack(file).minDuration = '0m'));
      assertSingleProblem(error, 'field minDuration', 'found "0m"');
    });

    it('approval count below 1', () => {
      const error = problemAfter((file) => (pack(file).approvals[0].count = 0));
      assertSingleProblem(error, 'field approvals[0].count', 'expected a whole number of at least 1, found the number 0');
    });

    it('no approvals at all', () => {
      const error = problemAfter((file) => (pack(file).approvals = []));
      assertSingleProblem(error, 'field approvals', 'expected at least one approval (role and count), found an empty list');
    });

    it('member that is not an object ID', () => {
      const error = problemAfter((file) => file.roles.security.members.push('alice@contoso.com'));
      assertSingleProblem(error, 'role security, field members[2]', 'expected an Entra object ID', 'found "alice@contoso.com"');
    });

    it('wrong format version', () => {
      const error = problemAfter((file) => (file.version = 2));
      assertSingleProblem(error, 'field version', 'expected 1 (the version of this file format), found the number 2');
    });
  });

  describe('checks between fields', () => {
    it('minDuration above maxDuration', () => {
      const error = problemAfter((file) => (pack(file).minDuration = '9h'));
      assertSingleProblem(error, 'field minDuration', 'expected at most maxDuration (8h), found 9h');
    });

    it('defaultDuration outside min..max', () => {
      const below = problemAfter((file) => (pack(file).defaultDuration = '10m'));
      assertSingleProblem(below, 'field defaultDuration', 'expected at least minDuration (15m), found 10m');
      const above = problemAfter((file) => (pack(file).defaultDuration = '1d'));
      assertSingleProblem(above, 'field defaultDuration', 'expected at most maxDuration (8h), found 1d');
    });

    it('durations beyond 30 days', () => {
      const error = problemAfter((file) => (pack(file).maxDuration = '45d'));
      assertSingleProblem(error, 'field maxDuration', 'expected at most 30d, found 45d');
    });

    it('reminder not before the end of the pending time', () => {
      const error = problemAfter((file) => (pack(file).reminderBefore = '24h'));
      assertSingleProblem(error, 'field reminderBefore', 'expected less than pendingTtl (1d), or 0m for no reminder, found 1d');
    });

    it('ticket pattern that does not compile', () => {
      const error = problemAfter((file) => (pack(file).ticketPattern = 'INC-(\\d+'));
      assertSingleProblem(error, 'field ticketPattern', 'expected a valid regular expression, found "INC-(\\\\d+"');
    });

    it('ticket example that does not match the pattern as a whole', () => {
      const error = problemAfter((file) => (pack(file).ticketExample = 'see INC-1'));
      assertSingleProblem(error, 'field ticketExample', 'expected a ticket ID that matches ticketPattern INC-\\d+, found "see INC-1"');
    });

    it('approval naming an unknown role, with a suggestion', () => {
      const error = problemAfter((file) => (pack(file).approvals[0].role = 'securty'));
      assertSingleProblem(
        error,
        'field approvals[0].role',
        'expected a role defined under roles (admin, security), found "securty" (did you mean "security"?)',
      );
    });

    it('the same role twice in approvals', () => {
      const error = problemAfter((file) => pack(file).approvals.push({ role: 'security', count: 1 }));
      assertSingleProblem(error, 'field approvals[1].role', 'expected each role once (raise its count instead), found "security" again');
    });

    it('more approvals than a role without group has members', () => {
      const error = problemAfter((file) => (pack(file).approvals[0].count = 3));
      assertSingleProblem(error, 'field approvals[0].count', 'expected at most 2 (role security lists 2 member(s) and no group), found 3');
    });

    it('duplicate step id', () => {
      const error = problemAfter((file) => {
        file.roles.dpo = { group: 'b0000000-0000-4000-8000-000000000001' };
        pack(file).steps = [
          { id: 'tell', kind: 'notify', target: 'dpo', label: 'DPO told' },
          { id: 'tell', kind: 'notify', target: 'employee', label: 'Employee told' },
        ];
      });
      assertSingleProblem(error, 'field steps[1].id', 'expected a unique step id, found "tell" again (first at position 1)');
    });

    it('duplicate legal basis id', () => {
      const error = problemAfter((file) => {
        pack(file).legalBases = [
          { id: 'ops', label: 'Operations' },
          { id: 'ops', label: 'Also operations' },
        ];
      });
      assertSingleProblem(error, 'field legalBases[1].id', 'expected a unique id, found "ops" again');
    });

    it('notify step to an unknown target', () => {
      const error = problemAfter((file) => (pack(file).steps = [{ id: 'tell', kind: 'notify', target: 'hr', label: 'HR told' }]));
      assertSingleProblem(
        error,
        'field steps[0].target',
        'expected a role defined under roles (admin, security), "employee" or an e-mail address, found "hr"',
      );
    });

    it('attest step whose target is not a role', () => {
      const error = problemAfter((file) => (pack(file).steps = [{ id: 'heard', kind: 'attest', target: 'employee', label: 'Heard' }]));
      assertSingleProblem(error, 'field steps[0].target', 'expected the role that attests, one of admin, security, found "employee"');
    });

    it('withholdable employee notice without an after-access notice', () => {
      const error = problemAfter((file) => {
        pack(file).steps = [{ id: 'tell', kind: 'notify', target: 'employee', label: 'Employee told', withholdable: true }];
      });
      assertSingleProblem(error, 'field steps[0].withholdable', 'expected an after-access-notice step in this pack');
    });

    it('withholdable on a step that is not the employee notice', () => {
      const error = problemAfter((file) => {
        pack(file).steps = [{ id: 'tell', kind: 'notify', target: 'security', label: 'Security told', withholdable: true }];
      });
      assertSingleProblem(error, 'field steps[0].withholdable', 'expected withholdable only on a notify step with target "employee"');
    });

    it('two after-access notices', () => {
      const error = problemAfter((file) => {
        pack(file).steps = [
          { id: 'after', kind: 'after-access-notice', label: 'Told afterwards' },
          { id: 'after-2', kind: 'after-access-notice', label: 'Told again' },
        ];
      });
      assertSingleProblem(error, 'field steps[1].kind', 'expected at most one after-access-notice step');
    });

    it('role without members or group', () => {
      const error = problemAfter((file) => (file.roles.hr = { description: 'Human resources' }));
      assertSingleProblem(
        error,
        'role hr',
        'expected members (a list of Entra object IDs) and/or group (a group object ID), found neither',
      );
    });

    it('role name the bot reserves for the mailbox owner', () => {
      const error = problemAfter((file) => (file.roles.employee = { group: 'b0000000-0000-4000-8000-000000000001' }));
      assertSingleProblem(error, 'role employee', 'expected a role name other than "employee"');
    });

    it('missing roles section: said once, not again for every reference to a role', () => {
      const error = problemAfter((file) => delete file.roles);
      assertSingleProblem(error, 'field roles', 'expected a mapping of role names to roles, found nothing (the field is missing)');
    });

    it('role name in capitals, reported along with a problem inside the role', () => {
      const error = problemAfter((file) => (file.roles.HR = { members: ['nobody'] }));
      assert.equal(error.problems.length, 2, error.message);
      assert.match(
        error.message,
        /role HR, line \d+, column \d+: expected a role name of lower-case letters, digits and dashes, like "hr" or "it-security", found "HR"/,
      );
      assert.match(error.message, /role HR, field members\[0\], line \d+, column \d+: expected an Entra object ID/);
    });

    it('missing admin role', () => {
      const error = problemAfter((file) => delete file.roles.admin);
      assertSingleProblem(error, 'field roles', 'expected a role named "admin"', 'found none');
    });

    it('jurisdiction code that is not upper case', () => {
      const error = problemAfter((file) => (file.jurisdictions = { no: pack(file) }));
      assertSingleProblem(error, 'jurisdiction no', 'expected an upper-case code', 'found "no"');
    });

    it('fallback naming a pack that does not exist', () => {
      const error = problemAfter((file) => (file.fallback = 'DEFAULT'));
      assertSingleProblem(error, 'field fallback', 'expected the code of a pack in this file (GLOBAL), found "DEFAULT"');
    });
  });
});
