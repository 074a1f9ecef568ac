import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildManifest, type ManifestObject } from '../../src/manifest/build-manifest';
import { validateManifest } from '../../src/manifest/validate-manifest';
import { Evaluator } from './arm-expression';
import { CONTAINER_WITH_SECRET, loadTemplate, REPO_ROOT } from './fixtures';

// The runbook fills the Teams manifest from the deployment outputs
// (botId -> MICROSOFT_APP_ID, appDomain -> BOT_DOMAIN). This proves the two
// fit together: the outputs, as the template computes them, make a valid app.

describe('Teams manifest built from the deployment outputs', () => {
  const outputs = new Evaluator(loadTemplate(), CONTAINER_WITH_SECRET).value(loadTemplate().outputs) as Record<string, { value: string }>;
  const manifestTemplate = JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest', 'manifest.json'), 'utf8')) as ManifestObject;

  it('passes validateManifest', () => {
    const manifest = buildManifest(manifestTemplate, {
      teamsAppId: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      botId: outputs.botId!.value,
      botDomain: outputs.appDomain!.value,
    }) as any;
    assert.deepEqual(validateManifest(manifest), []);
    assert.equal(manifest.bots[0].botId, CONTAINER_WITH_SECRET.microsoftAppId);
    assert.deepEqual(manifest.validDomains, [outputs.appDomain!.value]);
    assert.equal(`https://${manifest.validDomains[0]}/api/messages`, outputs.messagingEndpoint!.value);
  });

  it('would be refused if the output carried a scheme (as messagingEndpoint does)', () => {
    const manifest = buildManifest(manifestTemplate, {
      teamsAppId: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      botId: outputs.botId!.value,
      botDomain: outputs.messagingEndpoint!.value,
    });
    assert.ok(validateManifest(manifest).some((p) => p.startsWith('validDomains[0]:')));
  });
});
