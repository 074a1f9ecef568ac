import assert from 'node:assert/strict';
import { scopeFor, validateM365Config, type M365Config } from '../../src/m365/config';

const good: M365Config = {
  tenantId: '4c1d9a52-0d5e-4f1e-9a3b-c0570d05c0de',
  clientId: '7d3c1b8e-5a24-4f0e-9c61-2b8f4e6d0a17',
  clientSecret: 's3cr3t-value',
  authorityHost: 'https://login.microsoftonline.com',
  graphBaseUrl: 'https://graph.microsoft.com',
  exchangeBaseUrl: 'https://outlook.office365.com',
  serviceMailbox: 'custodian@contoso.com',
};

describe('m365/config', () => {
  it('accepts a complete configuration', () => {
    assert.equal(validateM365Config(good), good);
  });

  it('names every bad setting without echoing the secret', () => {
    const err = (() => {
      try {
        validateM365Config({ ...good, tenantId: 'contoso', graphBaseUrl: 'http://graph.microsoft.com', serviceMailbox: 'custodian' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    assert.ok(err);
    assert.match(err.message, /tenantId: tenantId must be a GUID/);
    assert.match(err.message, /graphBaseUrl: graphBaseUrl must be an https:\/\/ URL/);
    assert.match(err.message, /serviceMailbox: serviceMailbox must be an e-mail address/);
    assert.ok(!err.message.includes('s3cr3t-value'));
  });

  it('wants exactly one credential', () => {
    assert.throws(() => validateM365Config({ ...good, clientSecret: undefined }), /exactly one of clientSecret or certificatePath/);
    assert.throws(() => validateM365Config({ ...good, certificatePath: '/x.pem' }), /exactly one of clientSecret or certificatePath/);
    assert.throws(
      () => validateM365Config({ ...good, clientSecret: undefined, certificatePath: '/x.pem', certificateThumbprint: 'abc' }),
      /40 or 64 hex/,
    );
  });

  it('derives one .default scope per resource from the base URL', () => {
    assert.equal(scopeFor('https://graph.microsoft.com'), 'https://graph.microsoft.com/.default');
    assert.equal(scopeFor('https://outlook.office365.us/'), 'https://outlook.office365.us/.default');
  });
});
