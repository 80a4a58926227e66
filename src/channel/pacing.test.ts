import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bucket, RecipientPacing, backoffMs } from './pacing.ts';

test('the number-wide bucket lets through its rate per second and no more', () => {
  const b = new Bucket(80, 8, 0);
  let sent = 0;
  for (let t = 0; t <= 10_000; t += 5) while (b.take(t)) sent++;
  assert.ok(sent >= 800 && sent <= 808, `sent ${sent} in 10 s at 80/s`);
});

test('a citizen gets a turn\'s replies at once, but a flood to one citizen is spread to about one per 6 s', () => {
  const p = new RecipientPacing(1 / 6, 20);
  const waits = Array.from({ length: 20 }, () => p.take('919800000001', 0));
  assert.ok(waits.every((w) => w === 0), 'a burst of 20 goes at once');
  const wait = p.take('919800000001', 0);
  assert.ok(wait > 5000 && wait <= 6000, `then ${wait} ms`);
  assert.equal(p.take('919800000002', 0), 0, 'another citizen is not held up');
});

test('backoff grows exponentially with jitter and is capped', () => {
  const max = (attempt: number) => Math.max(...Array.from({ length: 2000 }, () => backoffMs(attempt)));
  assert.ok(max(1) <= 2000 && max(1) > 1500);
  assert.ok(max(4) <= 16000 && max(4) > 12000);
  assert.ok(max(30) <= 15 * 60_000);
  assert.ok(Math.min(...Array.from({ length: 2000 }, () => backoffMs(3))) < 1000, 'full jitter spreads retries');
});
