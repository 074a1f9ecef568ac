import assert from 'node:assert/strict';
import { isSecretKey, sanitiseDetails } from '../../src/audit/details';

describe('audit details sanitising', () => {
  it('recognises secret-looking keys and leaves ordinary ones alone', () => {
    for (const key of [
      'password',
      'Passwd',
      'pwd',
      'clientSecret',
      'access_token',
      'refreshToken',
      'Authorization',
      'x-api-key',
      'apiKey',
      'cookie',
      'credentials',
      'private_key',
      'passphrase',
    ]) {
      assert.equal(isSecretKey(key), true, key);
    }
    for (const key of ['ticket', 'mailbox', 'requester', 'justification', 'passport', 'compass', 'author']) {
      assert.equal(isSecretKey(key), false, key);
    }
  });

  it('keeps a "__proto__" key as data, breaks cycles and bounds depth', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 30; i++) deep = { inner: deep };
    const input = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const { details } = sanitiseDetails({ ...input, cyclic, deep, map: new Map([['k', 1]]), bytes: Buffer.from('hi') });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.getOwnPropertyDescriptor(details, '__proto__')?.value, { polluted: true });
    assert.deepEqual(details.cyclic, { name: 'loop', self: '[circular]' });
    assert.match(JSON.stringify(details.deep), /"\[too deep\]"/);
    assert.deepEqual(details.map, { k: 1 });
    assert.equal(details.bytes, 'aGk=');
  });

  it('reports the paths of removed keys, not their values', () => {
    const { details, stripped } = sanitiseDetails({ token: 't', list: [{ secret: 's' }] });
    assert.deepEqual(details, { list: [{}] });
    assert.deepEqual(stripped, ['details.token', 'details.list[0].secret']);
  });
});
