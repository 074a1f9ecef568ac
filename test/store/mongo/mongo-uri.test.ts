import assert from 'node:assert/strict';
import { mongoHosts, redactMongoUri, scrubPassword, uriSetsOption } from '../../../src/store/mongo/mongo-uri';

describe('store/mongo/mongo-uri', function () {
  it('names every host and hides the password', function () {
    const uri = 'mongodb://svc:p%40ss%2Fw0rd@db1.example:27017,db2.example:27018/custodian?authSource=admin&replicaSet=rs0';
    assert.equal(redactMongoUri(uri), 'mongodb://svc:***@db1.example:27017,db2.example:27018/custodian');
    assert.equal(mongoHosts(uri), 'db1.example:27017,db2.example:27018');
  });

  it('handles SRV URIs and URIs without credentials', function () {
    assert.equal(
      redactMongoUri('mongodb+srv://u:secret@cluster0.abcde.mongodb.net/?retryWrites=true'),
      'mongodb+srv://u:***@cluster0.abcde.mongodb.net/',
    );
    assert.equal(redactMongoUri('mongodb://127.0.0.1:27017'), 'mongodb://127.0.0.1:27017/');
  });

  it('drops query options, which may carry secrets', function () {
    const redacted = redactMongoUri('mongodb://h/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok3n');
    assert.ok(!redacted.includes('tok3n'), redacted);
  });

  it('never echoes a URI it cannot parse', function () {
    const bad = 'mongodb://user:hunter/2@host/';
    for (const text of [redactMongoUri(bad), mongoHosts(bad)]) {
      assert.ok(!text.includes('hunter'), text);
      assert.match(text, /unparseable/);
    }
    assert.match(redactMongoUri('not a uri'), /unparseable/);
  });

  it('removes the password, raw and decoded, from other text', function () {
    const uri = 'mongodb://svc:p%40ss@h/';
    assert.equal(scrubPassword('auth failed for p@ss and p%40ss', uri), 'auth failed for *** and ***');
    assert.equal(scrubPassword('nothing secret', 'mongodb://h/'), 'nothing secret');
  });

  it('tells whether the URI sets an option, ignoring case', function () {
    assert.equal(uriSetsOption('mongodb://h/?serverselectiontimeoutms=5', 'serverSelectionTimeoutMS'), true);
    assert.equal(uriSetsOption('mongodb://h/?appName=x', 'serverSelectionTimeoutMS'), false);
  });
});
