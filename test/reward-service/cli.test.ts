import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { main } from '../../lib/cli/main';

test('rlvr serve-rewards: serves, then exits 0 on SIGTERM after finishing', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'serve-rewards', '--reward', 'box_only_format', '--port', '0', '--workers', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/get_reward/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}${err}`)));
  });
  const res = await fetch(`http://127.0.0.1:${port}/get_reward`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: ['P\\boxed{1}', 'Pnone'], prompts: ['P', 'P'], labels: [null, null] }) });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '{"rewards":[1.0,0.0],"scores":[1.0,0.0],"extra_logs":{"mentions_python":[0.0,0.0],"has_boxed":[1.0,0.0],"group_size":[2.0,2.0]}}');
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  assert.equal(code, 0, err);
  assert.match(err, /SIGTERM: finishing in-flight requests/);
  assert.match(out, /stopped after 1 scoring request\(s\), 2 completion\(s\)/);
});

test('rlvr serve-rewards: usage errors exit 2 with a message', async () => {
  const errs: string[] = [];
  const io = { out: () => {}, err: (s: string) => { errs.push(s); } };
  assert.equal(await main(['serve-rewards'], io), 2);
  assert.match(errs.join(''), /--reward NAME is required/);
  assert.equal(await main(['serve-rewards', '--reward', 'nope'], io), 2);
  assert.match(errs.join(''), /"nope" is not registered/);
  assert.equal(await main(['serve-rewards', '--reward', 'math', '--mode', 'lenient'], io), 2);
  assert.equal(await main(['serve-rewards', '--reward', 'math', '--port', '70000'], io), 2);
  assert.match(errs.join(''), /--port must be an integer in \[0, 65535\]/);
  assert.equal(await main(['serve-rewards', '--reward', 'ttt'], io), 2);
  assert.match(errs.join(''), /--reward: reward "ttt" votes within each prompt's group .*pass --group-size N/);
  assert.equal(await main(['serve-rewards', '--reward', 'ttt', '--group-size', '0'], io), 2);
  assert.match(errs.join(''), /--group-size must be an integer in \[1, 65536\]/);
  assert.equal(await main(['serve-rewards', '--reward', 'ttt', '--group-size', '4', '--group-timeout-s=0'], io), 2);
  assert.match(errs.join(''), /--group-timeout-s must be a positive number/);
});
