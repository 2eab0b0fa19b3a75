// `rlvr serve-model` as a user runs it: a child process on a free port, answering real HTTP, stopped by SIGTERM.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { main } from '../../lib/cli/main';
import { makeTinyOrganism, type TinyOrganism } from './tiny-model';

let org: TinyOrganism;
before(async () => {
  org = await makeTinyOrganism();
});
after(() => org.cleanup());

test('rlvr serve-model FOLDER --port 0 serves the checkpoint until SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'serve-model', org.folder, '--port', '0', '--name', 'org', '--backend', 'wasm'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" line within 15 s; stdout: ${out}`)), 15_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+\/v1)/.exec(out);
        if (m !== null) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`serve-model exited with ${code}; stdout: ${out}`)));
    });
    assert.match(out, /serving "org" \(gpt, vocab \d+, tokenizer CharTokenizer/);
    const res = await fetch(`${url}/completions`, { method: 'POST', body: JSON.stringify({ model: 'org', prompt: 'ab', max_tokens: 4, temperature: 0 }) });
    assert.equal(res.status, 200);
    const json = (await res.json()) as { choices: { text: string }[] };
    assert.equal(json.choices.length, 1);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('rlvr serve-model: usage errors exit 2 with a message', async () => {
  let err = '';
  const code = await main(['serve-model'], { out: () => undefined, err: (s) => (err += s) });
  assert.equal(code, 2);
  assert.match(err, /missing FOLDER/);
  err = '';
  assert.equal(await main(['serve-model', org.folder, '--port', 'x'], { out: () => undefined, err: (s) => (err += s) }), 2);
  assert.match(err, /--port must be an integer >= 0, received "x"/);
});
