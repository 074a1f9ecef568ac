import assert from 'node:assert/strict';
import { buildManifest, ManifestValuesError } from '../../src/manifest/build-manifest';
import { validateManifest } from '../../src/manifest/validate-manifest';
import { clone, loadTemplate, TEST_VALUES } from './fixtures';

describe('buildManifest', () => {
  it('fills the IDs, the domain and developer pages from the values', () => {
    const manifest = buildManifest(loadTemplate(), TEST_VALUES) as any;
    assert.equal(manifest.id, TEST_VALUES.teamsAppId);
    assert.equal(manifest.bots[0].botId, TEST_VALUES.botId);
    assert.deepEqual(manifest.validDomains, [TEST_VALUES.botDomain]);
    assert.equal(manifest.developer.privacyUrl, `https://${TEST_VALUES.botDomain}/privacy`);
    assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
  });

  it('produces a manifest that passes validation', () => {
    assert.deepEqual(validateManifest(buildManifest(loadTemplate(), TEST_VALUES)), []);
  });

  it('uses the given version and developer details over the template defaults', () => {
    const manifest = buildManifest(loadTemplate(), {
      ...TEST_VALUES,
      version: '2.3.4',
      developer: { name: 'Contoso IT', privacyUrl: 'https://contoso.example/privacy', websiteUrl: '  ' },
    }) as any;
    assert.equal(manifest.version, '2.3.4');
    assert.equal(manifest.developer.name, 'Contoso IT');
    assert.equal(manifest.developer.privacyUrl, 'https://contoso.example/privacy');
    // A blank override keeps the default rather than producing an empty URL.
    assert.equal(manifest.developer.websiteUrl, `https://${TEST_VALUES.botDomain}/`);
  });

  it('does not modify the template it was given', () => {
    const template = loadTemplate();
    const before = clone(template);
    buildManifest(template, TEST_VALUES);
    assert.deepEqual(template, before);
  });

  it('names every missing value with its environment variable', () => {
    assert.throws(
      () => buildManifest(loadTemplate(), { botDomain: 'x.example' }),
      (error: unknown) => {
        assert.ok(error instanceof ManifestValuesError);
        assert.deepEqual(error.missing, ['teamsAppId (TEAMS_APP_ID)', 'botId (MICROSOFT_APP_ID)']);
        assert.match(error.message, /teamsAppId \(TEAMS_APP_ID\); botId \(MICROSOFT_APP_ID\)/);
        return true;
      },
    );
  });

  it('treats blank values as missing', () => {
    assert.throws(() => buildManifest(loadTemplate(), { ...TEST_VALUES, botDomain: '   ' }), /botDomain \(BOT_DOMAIN\)/);
  });

  it('refuses a template placeholder that no value fills', () => {
    const template = loadTemplate();
    template.publisherDocsUrl = '${{DOCS_URL}}';
    assert.throws(() => buildManifest(template, TEST_VALUES), /no value for placeholder \$\{\{DOCS_URL\}\}/);
  });
});
