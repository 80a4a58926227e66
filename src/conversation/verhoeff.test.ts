import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verhoeffDigit, verhoeffValid } from './verhoeff.ts';

test('Verhoeff: the published worked example (236 → 3) and every single-digit typo caught', () => {
  assert.equal(verhoeffDigit('236'), 3);
  assert.ok(verhoeffValid('2363'));
  for (let seed = 0; seed < 200; seed++) {
    const body = String(2e10 + seed * 7919 * 131);
    const full = body + verhoeffDigit(body);
    assert.ok(verhoeffValid(full), full);
    for (let i = 0; i < full.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === full[i]) continue;
        assert.ok(!verhoeffValid(full.slice(0, i) + d + full.slice(i + 1)), `typo at ${i} in ${full}`);
      }
    }
    // Swapping two neighbouring different digits is caught too.
    for (let i = 0; i + 1 < full.length; i++) {
      if (full[i] === full[i + 1]) continue;
      assert.ok(!verhoeffValid(full.slice(0, i) + full[i + 1] + full[i] + full.slice(i + 2)), `swap at ${i} in ${full}`);
    }
  }
});
