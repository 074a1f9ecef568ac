import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { buildManifest } from '../../src/manifest/build-manifest';
import { clone, loadTemplate, TEST_VALUES } from './fixtures';

// Validates the built manifest against Microsoft's published JSON schema for
// the version the template declares. The schema ships inside the
// @microsoft/app-manifest package, so nothing is fetched.

function officialSchema(manifestVersion: string): object {
  const packageDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(packageDir, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  return JSON.parse(readFileSync(file, 'utf8')) as object;
}

describe('manifest against the official Teams schema', function () {
  // Compiling the 127 kB schema takes a few seconds on a busy machine.
  this.timeout(20_000);
  const manifest = buildManifest(loadTemplate(), TEST_VALUES);
  const schema = officialSchema(String(manifest.manifestVersion));

  it('the template declares the schema URL of its manifestVersion', () => {
    assert.equal(
      manifest.$schema,
      `https://developer.microsoft.com/json-schemas/teams/v${String(manifest.manifestVersion)}/MicrosoftTeams.schema.json`,
    );
  });

  it('the filled template has no schema errors', async () => {
    const errors = await AppManifestUtils.validateAgainstSchema(manifest as any, schema as any);
    assert.deepEqual(errors, []);
  });

  it('the schema check does catch a broken manifest', async () => {
    const broken = clone(manifest) as any;
    broken.bots[0].scopes = ['channel'];
    delete broken.developer;
    const errors = await AppManifestUtils.validateAgainstSchema(broken, schema as any);
    assert.ok(errors.length >= 2, errors.join('\n'));
  });
});
