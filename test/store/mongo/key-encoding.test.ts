import assert from 'node:assert/strict';
import { decodeDocument, encodeDocument } from '../../../src/store/mongo/key-encoding';

/** Every key in `value`, at any depth, and whether any array sits directly in an array. */
function inspect(value: unknown, keys: string[] = []): { keys: string[]; nestedArray: boolean } {
  let nestedArray = false;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (Array.isArray(item)) nestedArray = true;
      nestedArray = inspect(item, keys).nestedArray || nestedArray;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      keys.push(key);
      nestedArray = inspect(item, keys).nestedArray || nestedArray;
    }
  }
  return { keys, nestedArray };
}

describe('store/mongo/key-encoding', function () {
  const awkward = {
    plain: 'kept',
    'a.b': 1,
    $set: { $inc: 2, x$: 3 },
    '%2E': 'looks encoded already',
    '%': 'percent',
    '%a': 'looks like the array wrapper',
    '': 'empty',
    'nul\0key': true,
    matrix: [[1, 2], [[3]], [], [{ 'k.k': [[null]] }]],
    list: [{ 'in.list': 'x' }, 'y', 4],
    __proto__key: { ok: 1 },
  };

  it('produces only keys and shapes every MongoDB-wire server accepts', function () {
    const encoded = encodeDocument(awkward);
    const { keys, nestedArray } = inspect(encoded);
    for (const key of keys) {
      assert.ok(!key.includes('.'), `key ${JSON.stringify(key)} contains a dot`);
      assert.ok(!key.startsWith('$'), `key ${JSON.stringify(key)} starts with $`);
      assert.ok(!key.includes('\0'), 'key contains NUL');
      assert.notEqual(key, '', 'empty key');
    }
    assert.equal(nestedArray, false);
  });

  it('decodes exactly what was encoded, keeping key order', function () {
    const back = decodeDocument(encodeDocument(awkward));
    assert.deepEqual(back, awkward);
    assert.equal(JSON.stringify(back), JSON.stringify(awkward));
  });

  it('leaves safe keys untouched so indexes on them work', function () {
    const doc = { requester: { aadObjectId: 'x' }, dueAt: 5, steps: [{ id: 's' }] };
    assert.deepEqual(encodeDocument(doc), doc);
  });

  it('treats __proto__ as data, not as the prototype', function () {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "n": 1}') as Record<string, unknown>;
    const back = decodeDocument<Record<string, unknown>>(encodeDocument(input));
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.deepEqual(Object.keys(back), ['__proto__', 'n']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('drops undefined fields, as JSON does', function () {
    assert.deepEqual(encodeDocument({ a: 1, b: undefined }), { a: 1 });
  });
});
