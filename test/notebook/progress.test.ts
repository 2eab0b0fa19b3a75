import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressBar } from '../../lib/notebook/index';
import { recordingSink } from './recording-sink';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, write: (s: string) => void writes.push(s) };
}
const clock = () => 0;

test('on a non-TTY stream it prints one line per 10 % step and no duplicate line at done()', () => {
  const out = stream(false);
  const bar = progressBar({ total: 100, label: 'steps', stream: out, clock });
  for (let i = 1; i <= 100; i++) bar.update(i);
  bar.done();
  assert.equal(out.writes.length, 11); // 1 %, then 10 %, 20 %, ..., 100 %
  assert.equal(out.writes[0], 'steps 1/100 (1%) 0.0s\n');
  assert.equal(out.writes[10], 'steps 100/100 (100%) 0.0s\n');
  assert.ok(out.writes.every((w) => w.endsWith('\n') && !w.includes('\r')));
});

test('on a non-TTY stream done() prints the final state when it changed', () => {
  const out = stream(false);
  const bar = progressBar({ total: 10, stream: out, clock });
  bar.update(3);
  bar.done({ loss: 0.5 });
  assert.deepEqual(out.writes, ['3/10 (30%) 0.0s\n', '3/10 (30%) 0.0s loss=0.5\n']);
});

test('on a TTY it redraws in place with \\r and ends the line at done()', () => {
  const out = stream(true);
  const bar = progressBar({ total: 4, label: 'x', stream: out, clock });
  bar.update(1, 'a');
  bar.update(1, 'a'); // unchanged: no redraw
  bar.update(2, 'longer text');
  bar.update(4, 'b');
  bar.done();
  assert.equal(out.writes.length, 4);
  assert.ok(out.writes.every((w) => w.startsWith('\r')));
  assert.ok(out.writes[2].startsWith('\rx 4/4 (100%) 0.0s b'), out.writes[2]);
  assert.ok(out.writes[2].length >= out.writes[1].length, 'pads over the longer previous line');
  assert.ok(out.writes[3].endsWith('\n'));
});

test('in a notebook it shows an HTML <progress> once and then updates that display', () => {
  const sink = recordingSink('notebook');
  const bar = progressBar({ total: 20, label: 'train', sink, clock });
  for (let i = 1; i <= 20; i++) bar.update(i, { loss: 1 / i });
  bar.done();
  assert.equal(sink.shown.length, 21); // every step changes the percentage or the loss, plus the final draw
  const ids = new Set(sink.shown.map((s) => s.options.displayId));
  assert.equal(ids.size, 1);
  assert.equal(sink.shown[0].options.update, false);
  assert.ok(sink.shown.slice(1).every((s) => s.options.update === true));
  const last = sink.shown[20].bundle;
  assert.match(last['text/html'] as string, /<progress value="20" max="20"/);
  assert.equal(last['text/plain'], 'train 20/20 (100%) 0.0s loss=0.05');
});

test('updates after done() are ignored and bad totals are refused', () => {
  const out = stream(false);
  const bar = progressBar({ total: 2, stream: out, clock });
  bar.done();
  bar.update(2);
  assert.equal(out.writes.length, 1);
  assert.throws(() => progressBar({ total: -1, stream: out }), /total must be a non-negative integer, got -1/);
  assert.throws(() => progressBar({ total: 1.5, stream: out }), /got 1.5/);
});
