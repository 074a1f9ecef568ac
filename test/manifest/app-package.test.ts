import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { runPackageApp } from '../../src/cli/package-app';
import { buildAppPackage, DEV_DEFAULTS, readPackageValues } from '../../src/manifest/app-package';
import { checkIcon } from '../../src/manifest/check-icon';
import { validateManifest } from '../../src/manifest/validate-manifest';
import { MANIFEST_DIR, TEST_VALUES } from './fixtures';

const PROD_ENV = {
  CUSTODIAN_MODE: 'production',
  TEAMS_APP_ID: TEST_VALUES.teamsAppId,
  MICROSOFT_APP_ID: TEST_VALUES.botId,
  BOT_DOMAIN: TEST_VALUES.botDomain,
};

describe('Teams app package', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'custodian-package-'));
    cpSync(MANIFEST_DIR, path.join(root, 'manifest'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'custodian', version: '0.4.2' }));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function run(env: Record<string, string | undefined>, argv: string[] = []) {
    const out: string[] = [];
    const err: string[] = [];
    const code = runPackageApp({ env, argv, rootDir: root, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  }

  it('writes build/custodian-teams-app.zip with manifest.json and both icons at its root', () => {
    const { code, out, err } = run(PROD_ENV);
    assert.equal(code, 0, err.join('\n'));
    const zipPath = path.join(root, 'build', 'custodian-teams-app.zip');
    assert.deepEqual(out, [zipPath]);

    const zip = new AdmZip(readFileSync(zipPath));
    assert.deepEqual(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
      ['color.png', 'manifest.json', 'outline.png'],
    );
    const manifest = JSON.parse(zip.readAsText('manifest.json'));
    assert.deepEqual(validateManifest(manifest), []);
    assert.equal(manifest.id, TEST_VALUES.teamsAppId);
    assert.equal(manifest.bots[0].botId, TEST_VALUES.botId);
    assert.equal(manifest.version, '0.4.2', 'version defaults to package.json');
    assert.deepEqual(checkIcon(zip.readFile('color.png')!, 192, false), []);
    assert.deepEqual(checkIcon(zip.readFile('outline.png')!, 32, true), []);
  });

  it('in production names every missing environment variable and writes nothing', () => {
    const { code, err } = run({ CUSTODIAN_MODE: 'production', BOT_DOMAIN: 'custodian.example' });
    assert.equal(code, 1);
    assert.deepEqual(err, [
      'Teams app package not written. Set these environment variables:',
      '  - teamsAppId (TEAMS_APP_ID)',
      '  - botId (MICROSOFT_APP_ID)',
    ]);
    assert.equal(existsSync(path.join(root, 'build')), false);
  });

  it('--production has the same effect as CUSTODIAN_MODE=production', () => {
    const { code, err } = run({}, ['--production']);
    assert.equal(code, 1);
    assert.match(err.join('\n'), /TEAMS_APP_ID[\s\S]*MICROSOFT_APP_ID[\s\S]*BOT_DOMAIN/);
  });

  it('outside production uses the local values and says so for each', () => {
    const { code, err } = run({ TEAMS_APP_ID: TEST_VALUES.teamsAppId });
    assert.equal(code, 0, err.join('\n'));
    assert.deepEqual(err, [
      `notice: MICROSOFT_APP_ID is not set; using the local development value ${DEV_DEFAULTS.MICROSOFT_APP_ID}`,
      `notice: BOT_DOMAIN is not set; using the local development value ${DEV_DEFAULTS.BOT_DOMAIN}`,
    ]);
    const manifest = JSON.parse(new AdmZip(path.join(root, 'build', 'custodian-teams-app.zip')).readAsText('manifest.json'));
    assert.equal(manifest.id, TEST_VALUES.teamsAppId);
    assert.deepEqual(manifest.validDomains, ['localhost']);
  });

  it('refuses invalid values with the named problems', () => {
    const { code, err } = run({ ...PROD_ENV, MICROSOFT_APP_ID: 'my-bot', BOT_DOMAIN: 'https://custodian.example' });
    assert.equal(code, 1);
    assert.equal(err[0], 'Teams app package not written; the manifest or icons have problems:');
    assert.ok(
      err.some((l) => l.includes('bots[0].botId: must be a GUID')),
      err.join('\n'),
    );
    assert.ok(
      err.some((l) => l.includes('validDomains[0]: must be a host name without scheme')),
      err.join('\n'),
    );
  });

  it('names an icon file that is missing from manifest/', () => {
    unlinkSync(path.join(root, 'manifest', 'outline.png'));
    const built = buildAppPackage(path.join(root, 'manifest'), TEST_VALUES);
    assert.equal(built.zip, undefined);
    assert.deepEqual(built.problems, ['icons.outline: file outline.png not found next to manifest.json']);
  });

  it('names an icon of the wrong size', () => {
    cpSync(path.join(root, 'manifest', 'outline.png'), path.join(root, 'manifest', 'color.png'));
    const built = buildAppPackage(path.join(root, 'manifest'), TEST_VALUES);
    assert.deepEqual(built.problems, ['icons.color (color.png): must be 192x192 pixels, is 32x32']);
  });

  it('reads optional version and developer details from the environment', () => {
    const { values, notices } = readPackageValues(
      { ...PROD_ENV, APP_VERSION: '3.0.1', DEVELOPER_NAME: 'Contoso IT', DEVELOPER_TERMS_URL: 'https://contoso.example/terms' },
      { allowDevDefaults: false },
    );
    assert.deepEqual(notices, []);
    assert.equal(values.version, '3.0.1');
    assert.equal(values.developer?.name, 'Contoso IT');
    assert.equal(values.developer?.termsOfUseUrl, 'https://contoso.example/terms');
  });
});
