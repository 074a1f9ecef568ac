import assert from 'node:assert/strict';
import { buildManifest, type ManifestObject } from '../../src/manifest/build-manifest';
import { validateManifest } from '../../src/manifest/validate-manifest';
import { clone, loadTemplate, removeAt, setAt, TEST_VALUES } from './fixtures';

function validManifest(): ManifestObject {
  return buildManifest(loadTemplate(), TEST_VALUES);
}

function problemsAfter(change: (manifest: ManifestObject) => void): string[] {
  const manifest = clone(validManifest());
  change(manifest);
  return validateManifest(manifest);
}

/** Asserts that some problem starts with the field path and mentions the hint. */
function assertProblem(problems: string[], field: string, hint: RegExp): void {
  const found = problems.find((problem) => problem.startsWith(`${field}:`) && hint.test(problem));
  assert.ok(found, `expected a problem for ${field} matching ${hint}, got:\n${problems.join('\n')}`);
}

describe('validateManifest', () => {
  it('accepts the filled template', () => {
    assert.deepEqual(validateManifest(validManifest()), []);
  });

  it('rejects something that is not an object', () => {
    assert.deepEqual(validateManifest([]), ['manifest: must be a JSON object']);
  });

  describe('names each required field that is removed', () => {
    const required: Array<[string, string]> = [
      ['$schema', '$schema'],
      ['manifestVersion', 'manifestVersion'],
      ['version', 'version'],
      ['id', 'id'],
      ['developer', 'developer'],
      ['developer.name', 'developer.name'],
      ['developer.websiteUrl', 'developer.websiteUrl'],
      ['developer.privacyUrl', 'developer.privacyUrl'],
      ['developer.termsOfUseUrl', 'developer.termsOfUseUrl'],
      ['name', 'name'],
      ['name.short', 'name.short'],
      ['description', 'description'],
      ['description.short', 'description.short'],
      ['description.full', 'description.full'],
      ['icons', 'icons'],
      ['icons.color', 'icons.color'],
      ['icons.outline', 'icons.outline'],
      ['accentColor', 'accentColor'],
      ['bots', 'bots'],
      ['bots.0.botId', 'bots[0].botId'],
      ['bots.0.scopes', 'bots[0].scopes'],
      ['bots.0.commandLists.0.commands', 'bots[0].commandLists[0].commands'],
      ['bots.0.commandLists.0.commands.0.title', 'bots[0].commandLists[0].commands[0].title'],
      ['bots.0.commandLists.0.commands.0.description', 'bots[0].commandLists[0].commands[0].description'],
    ];
    for (const [dottedPath, field] of required) {
      it(`${dottedPath}`, () => {
        const problems = problemsAfter((manifest) => removeAt(manifest, dottedPath));
        assertProblem(problems, field, /.+/);
      });
    }
  });

  describe('names each invalid value', () => {
    const invalid: Array<[string, unknown, string, RegExp]> = [
      ['$schema', 'https://example.com/schema.json', '$schema', /published Teams manifest schema/],
      ['manifestVersion', '1.29', 'manifestVersion', /does not match the \$schema version "1.30"/],
      ['version', '1.0', 'version', /major\.minor\.patch/],
      ['version', '01.0.0', 'version', /major\.minor\.patch/],
      ['id', 'not-a-guid', 'id', /GUID/],
      ['developer.name', 'x'.repeat(33), 'developer.name', /at most 32/],
      ['developer.websiteUrl', 'http://contoso.example', 'developer.websiteUrl', /https/],
      ['developer.privacyUrl', 'privacy', 'developer.privacyUrl', /https/],
      ['name.short', 'x'.repeat(31), 'name.short', /at most 30/],
      ['name.full', 'x'.repeat(101), 'name.full', /at most 100/],
      ['description.short', 'x'.repeat(81), 'description.short', /at most 80/],
      ['description.full', 'x'.repeat(4001), 'description.full', /at most 4000/],
      ['icons.color', 'https://cdn.example/color.png', 'icons.color', /relative path/],
      ['icons.outline', '../outline.png', 'icons.outline', /relative path/],
      ['icons.outline', 'outline.svg', 'icons.outline', /PNG/],
      ['accentColor', '#12345', 'accentColor', /#1F4E79/],
      ['accentColor', 'blue', 'accentColor', /#1F4E79/],
      ['bots.0.botId', 'bot', 'bots[0].botId', /GUID/],
      ['bots.0.scopes', ['personal', 'groupchat'], 'bots[0].scopes', /unknown scope "groupchat"/],
      ['bots.0.commandLists.0.commands.0.title', 'x'.repeat(33), 'bots[0].commandLists[0].commands[0].title', /at most 32/],
      ['bots.0.commandLists.0.commands.0.description', 'x'.repeat(129), 'bots[0].commandLists[0].commands[0].description', /at most 128/],
      ['validDomains', ['https://custodian.example'], 'validDomains[0]', /without scheme/],
      ['validDomains', ['custodian.example/api'], 'validDomains[0]', /without path/],
      ['validDomains', 'custodian.example', 'validDomains', /list/],
    ];
    for (const [dottedPath, value, field, hint] of invalid) {
      it(`${dottedPath} = ${JSON.stringify(value).slice(0, 40)}`, () => {
        const problems = problemsAfter((manifest) => setAt(manifest, dottedPath, value));
        assertProblem(problems, field, hint);
      });
    }
  });

  it('refuses more than one bot', () => {
    const problems = problemsAfter((manifest) => {
      const bots = manifest.bots as unknown[];
      bots.push(clone(bots[0]));
    });
    assertProblem(problems, 'bots', /one bot per app/);
  });

  it('refuses a command list for a scope the bot does not have', () => {
    const problems = problemsAfter((manifest) => setAt(manifest, 'bots.0.scopes', ['personal', 'team']));
    assertProblem(problems, 'bots[0].commandLists[2].scopes', /"groupChat" is not one of the bot's scopes/);
  });

  it('refuses more than 12 commands in a list and duplicate titles', () => {
    const problems = problemsAfter((manifest) => {
      const commands = (manifest as any).bots[0].commandLists[1].commands as unknown[];
      while (commands.length < 13) commands.push(clone(commands[0]));
    });
    assertProblem(problems, 'bots[0].commandLists[1].commands', /at most 12 commands/);
    assertProblem(problems, 'bots[0].commandLists[1].commands[11].title', /appears twice/);
  });

  it('reports a placeholder that was never filled', () => {
    const problems = validateManifest(loadTemplate());
    assertProblem(problems, 'id', /GUID/);
    assertProblem(problems, 'id', /placeholder \$\{\{TEAMS_APP_ID\}\} was not filled/);
    assertProblem(problems, 'validDomains[0]', /placeholder \$\{\{BOT_DOMAIN\}\}/);
  });
});
