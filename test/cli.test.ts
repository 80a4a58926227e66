import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const mitra = (...args: string[]) => spawnSync(process.execPath, ['bin/mitra.js', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });

test('mitra --help lists the commands; an unknown command exits 2 with advice', () => {
  const help = mitra('--help');
  assert.equal(help.status, 0);
  for (const c of ['serve', 'chat', 'catalog', 'outbound']) assert.match(help.stdout, new RegExp(`^  ${c} `, 'm'));
  const bad = mitra('fly');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command "fly".*mitra --help/);
  assert.equal(mitra('catalog', '--help').status, 0);
});

test('mitra catalog check: exit 0 on the shipped catalogue, 1 with file:line reasons on a broken one', () => {
  const ok = mitra('catalog', 'check');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^catalogue ok: \d+ departments, \d+ services/);

  const root = mkdtempSync(join(tmpdir(), 'mitra-cli-'));
  try {
    cpSync('catalog/lists', join(root, 'lists'), { recursive: true });
    mkdirSync(join(root, 'departments'));
    writeFileSync(join(root, 'departments', 'x.yaml'), 'department:\n  code: X\n  prefix: XX\n  name: { te: శాఖ, en: Dept }\nservices: []\n');
    const bad = mitra('catalog', 'check', '--dir', root);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /x\.yaml:2 department\.code: department codes look like REV01/);
    assert.match(bad.stderr, /services: a department file lists at least one service/);
    assert.match(bad.stderr, /2 problems; the catalogue was not accepted/);
    const serve = spawnSync(process.execPath, ['bin/mitra.js', 'serve'], { encoding: 'utf8', env: { ...process.env, CATALOG_DIR: root, PORT: '0' } });
    assert.equal(serve.status, 1, 'the server refuses to start on an invalid catalogue');
    assert.match(serve.stderr, /service catalogue is not valid.*\n.*x\.yaml:2 department\.code/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
