// Callbacks a library calls on a thread it started itself (tests/node/threads/): Node-API cannot
// enter JavaScript there (V8 aborts the process), so the binding refuses them cleanly — the JS
// function is not called, the library gets the callback's error value (0), and the outer call
// throws ERR_CALLBACK_OFF_THREAD once C returns. No threadsafe-function marshalling.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const t = require(process.env.BINDERY_NODE_PKG);

test('a callback reached on a library thread is not called; the call throws ERR_CALLBACK_OFF_THREAD', () => {
  let called = 0;
  const before = t.threadCalls();
  assert.throws(() => t.callOnThread(41, 3, (v) => { called++; return v + 1; }), (e) => {
    assert.equal(e.code, 'ERR_CALLBACK_OFF_THREAD');
    assert.match(e.message, /reached 3 times on a thread the library started/);
    return true;
  });
  assert.equal(called, 0, 'JavaScript never ran on the library thread');
  assert.equal(t.threadCalls() - before, 3, 'the library thread did call back three times');
  assert.equal(t.lastResult(), 0, 'the library got the error value');
});

test('the same callback on the calling thread works, before and after a refusal', () => {
  assert.equal(t.callHere(41, (v) => v + 1), 42);
  assert.throws(() => t.callOnThread(1, 1, (v) => v), { code: 'ERR_CALLBACK_OFF_THREAD' });
  assert.equal(t.callHere(41, (v) => v * 2), 82, 'a refusal is not reported again by a later call');
  assert.equal(t.lastResult(), 82);
});

test('a thread that never calls back is no error', () => {
  assert.equal(t.callOnThread(5, 0, () => assert.fail('never called')), 0);
});

test('an exception thrown on the JS thread still wins over nothing refused', () => {
  const boom = new Error('boom');
  assert.throws(() => t.callHere(1, () => { throw boom; }), (e) => e === boom);
  assert.equal(t.lastResult(), 0, 'the library got the error value for the exception too');
});
