// tests/fixtures/annotated/SPEC.md, from JavaScript: the protocol comes from BINDERY(...) macros in
// the header, and the binding behaves exactly as if the keys were in bindery.yaml.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const a = require(process.env.BINDERY_NODE_PKG);

test('A1-A9 a store annotated in its header', () => {
  const base = a.liveStores();
  const s = a.Store.new();
  assert.equal(s.count(), 0);
  assert.equal(a.liveStores(), base + 1);
  assert.equal(s.get('a'), null, 'A2: nullable: absent');
  s.set('a', 'alpha');
  s.set('b', 'beta');
  assert.equal(s.get('a'), 'alpha');
  assert.equal(s.count(), 2);
  const v = s.get('a');
  s.set('a', 'ä');
  assert.equal(v, 'alpha', 'A4: copied at once (until: mutation)');
  assert.equal(s.get('a'), 'ä');
  assert.deepEqual(s.valueLength('a'), { result: true, length: 2 }, 'A5: bytes');
  assert.deepEqual(s.valueLength('zzz'), { result: false, length: 0 }, 'A6: the zeroed out');
  s.set('a', null);
  assert.equal(s.get('a'), null, 'A7: the nullable parameter passed NULL');
  assert.equal(s.count(), 1);
  s.set('missing');
  assert.equal(s.count(), 1, 'A8');
  s.close();
  assert.equal(a.liveStores(), base, 'A9');
});

test('E1/E2 key is not nullable; a closed store', () => {
  const s = a.Store.new();
  assert.throws(() => s.set(null, 'x'), TypeError);
  assert.throws(() => s.set(undefined, 'x'), TypeError);
  s.close();
  assert.throws(() => s.get('a'), { code: 'ERR_USE_AFTER_CLOSE' });
});
