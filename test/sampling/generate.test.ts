// (await generate()): batched KV-cached sampling against a tiny randomly initialised organism GPT
// (and the qwen2-tiny fixture for a transformers-checked greedy continuation).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/tensor';
import { createGpt, loadCheckpoint, type CausalLM } from '../../lib/models';
import { CharTokenizer } from '../../lib/tokenizers';
import { defaultPrefillChunk, generate, generateText, type GenerateOptions, type Generation } from '../../lib/sampling';
import { fixedRowsModel, perRowModel } from './per-row-model';

// 21 characters + 3 specials = 24 ids: the model's vocabulary, so the char tokenizer decodes every id.
const TOK = new CharTokenizer('abcdefghij0123456789 ');
const V = TOK.vocabSize;
let model: CausalLM;

before(async () => {
  await initBackend({ backend: 'wasm' });
  // initStd 0.3 makes the logits peaked, so argmax has clear winners (no float near-ties between paths).
  model = createGpt({ vocabSize: V, dModel: 32, nLayers: 2, nHeads: 2, contextLength: 64, seed: 3, initStd: 0.3 });
});

const PROMPTS = [[1, 5, 9, 12], [1, 7], [1, 20, 4, 4, 8, 17, 3], [1, 11, 6]];
const tokensOf = (gens: Generation[]): number[][] => gens.map((g) => g.tokens);

/** Full-forward logits [T, V] of one unpadded sequence. */
function fullLogits(ids: number[]): number[][] {
  return tf.tidy(() => {
    const x = tf.tensor2d([ids], [1, ids.length], 'int32');
    return (model.forward(x).arraySync() as number[][][])[0];
  });
}
const logSoftmax = (row: number[], t = 1): number[] => {
  const z = row.map((x) => x / t);
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, x) => s + Math.exp(x - m), 0));
  return z.map((x) => x - lse);
};
const argmaxOf = (row: number[]): number => row.reduce((best, x, i) => (x > row[best] ? i : best), 0);

test('same seed → same tokens and log-probs; another seed → different tokens', async () => {
  const opts: GenerateOptions = { maxNewTokens: 12, temperature: 1, seed: 42 };
  const a = (await generate(model, PROMPTS, opts)).sequences;
  const b = (await generate(model, PROMPTS, opts)).sequences;
  assert.deepEqual(b, a);
  assert.notDeepEqual(tokensOf((await generate(model, PROMPTS, { ...opts, seed: 43 })).sequences), tokensOf(a));
});

test('greedy: each token is the argmax of a full forward over prompt + tokens so far; log-prob 0', async () => {
  const gens = (await generate(model, PROMPTS, { maxNewTokens: 10, temperature: 0 })).sequences;
  gens.forEach((g, i) => {
    assert.equal(g.tokens.length, 10);
    assert.equal(g.finishReason, 'length');
    const seq = [...PROMPTS[i], ...g.tokens];
    const logits = fullLogits(seq);
    g.tokens.forEach((tok, k) => assert.equal(tok, argmaxOf(logits[PROMPTS[i].length - 1 + k]), `prompt ${i} step ${k}`));
    assert.deepEqual(g.logProbs, new Array(10).fill(0));
  });
});

test('top-k 1 at any temperature equals greedy', async () => {
  const greedy = (await generate(model, PROMPTS, { maxNewTokens: 10, temperature: 0 })).sequences;
  const k1 = (await generate(model, PROMPTS, { maxNewTokens: 10, temperature: 1.5, topK: 1, seed: 9 })).sequences;
  assert.deepEqual(tokensOf(k1), tokensOf(greedy));
});

test('log-probs: the tempered policy and the untempered model, against a full forward', async () => {
  const t = 0.7;
  const gens = (await generate(model, PROMPTS, { maxNewTokens: 8, temperature: t, seed: 5, modelLogProbs: true })).sequences;
  gens.forEach((g, i) => {
    const logits = fullLogits([...PROMPTS[i], ...g.tokens]);
    g.tokens.forEach((tok, k) => {
      const row = logits[PROMPTS[i].length - 1 + k];
      assert.ok(Math.abs(g.logProbs[k] - logSoftmax(row, t)[tok]) < 1e-4, `policy log-prob, prompt ${i} step ${k}`);
      assert.ok(Math.abs(g.modelLogProbs![k] - logSoftmax(row)[tok]) < 1e-4, `model log-prob, prompt ${i} step ${k}`);
    });
  });
  // The model's tokenLogProbs agrees with modelLogProbs (the form GRPO's old log-probs take).
  const seq = [...PROMPTS[0], ...gens[0].tokens];
  const lp = tf.tidy(() => model.tokenLogProbsNoGrad(tf.tensor2d([seq], [1, seq.length], 'int32'), null).arraySync()[0]);
  gens[0].modelLogProbs!.forEach((x, k) => assert.ok(Math.abs(x - lp[PROMPTS[0].length - 1 + k]) < 1e-4));
});

test('top-p: every sampled token lies inside the nucleus of the full-forward distribution', async () => {
  const topP = 0.6;
  const gens = (await generate(model, PROMPTS, { maxNewTokens: 10, temperature: 1, topP, seed: 11 })).sequences;
  let checked = 0;
  gens.forEach((g, i) => {
    const logits = fullLogits([...PROMPTS[i], ...g.tokens]);
    g.tokens.forEach((tok, k) => {
      const lp = logSoftmax(logits[PROMPTS[i].length - 1 + k]);
      const order = lp.map((_, j) => j).sort((a, b) => lp[b] - lp[a]);
      let before = 0;
      const nucleus: number[] = [];
      for (const j of order) {
        if (before >= topP) break;
        nucleus.push(j);
        before += Math.exp(lp[j]);
      }
      assert.ok(nucleus.includes(tok), `prompt ${i} step ${k}: token ${tok} outside the nucleus ${nucleus}`);
      const mass = nucleus.reduce((s, j) => s + Math.exp(lp[j]), 0);
      assert.ok(Math.abs(g.logProbs[k] - (lp[tok] - Math.log(mass))) < 1e-4, 'log-prob renormalised over the nucleus');
      checked++;
    });
  });
  assert.equal(checked, 40);
});

test('ragged batch (left padding) equals generating each prompt alone with its stream', async () => {
  const opts: GenerateOptions = { maxNewTokens: 10, temperature: 1, seed: 21, modelLogProbs: true };
  const batch = (await generate(model, PROMPTS, opts)).sequences;
  for (const [i, p] of PROMPTS.entries()) {
    const [alone] = (await generate(model, [p], { ...opts, streams: [i] })).sequences;
    assert.deepEqual(alone.tokens, batch[i].tokens, `prompt ${i}`);
    alone.modelLogProbs!.forEach((x, k) => assert.ok(Math.abs(x - batch[i].modelLogProbs![k]) < 1e-4));
    assert.equal(alone.promptLength, p.length);
  }
});

test('micro-batched equals unbatched, in the prompts\' order', async () => {
  const prompts = [...PROMPTS, [1, 2], [1, 9, 9, 9, 9, 9]];
  const opts: GenerateOptions = { maxNewTokens: 9, temperature: 0.9, topK: 8, seed: 4 };
  const whole = await generate(model, prompts, opts);
  const micro = await generate(model, prompts, { ...opts, microBatchSize: 2 });
  assert.equal(whole.stats.microBatches, 1);
  assert.equal(micro.stats.microBatches, 3);
  assert.deepEqual(tokensOf(micro.sequences), tokensOf(whole.sequences));
  micro.sequences.forEach((g, i) => g.logProbs.forEach((x, k) => assert.ok(Math.abs(x - whole.sequences[i].logProbs[k]) < 1e-4)));
});

test('EOS: finish reason eos, the EOS token kept in tokens but not in text; others run to length', async () => {
  const greedy = (await generate(model, PROMPTS, { maxNewTokens: 6, temperature: 0 })).sequences;
  const eos = greedy[0].tokens[2]; // row 0 emits this id at step 3
  const gens = (await generate(model, PROMPTS, { maxNewTokens: 6, temperature: 0, eosIds: [eos], decode: (ids) => TOK.decode(ids) })).sequences;
  gens.forEach((g, i) => {
    const first = greedy[i].tokens.indexOf(eos);
    if (first >= 0) {
      assert.equal(g.finishReason, 'eos', `prompt ${i}`);
      assert.deepEqual(g.tokens, greedy[i].tokens.slice(0, first + 1));
      assert.equal(g.text, TOK.decode(g.tokens.slice(0, -1)));
    } else {
      assert.equal(g.finishReason, 'length');
      assert.deepEqual(g.tokens, greedy[i].tokens);
      assert.equal(g.text, TOK.decode(g.tokens));
    }
  });
  assert.equal(gens[0].tokens.length, 3);
});

test('stop strings: matched in the decoded completion, trimmed per includeStopString; finish reason stop', async () => {
  const greedy = (await generate(model, PROMPTS, { maxNewTokens: 8, temperature: 0 })).sequences;
  const full = TOK.decode(greedy[2].tokens);
  const stopStr = full.slice(3, 5); // completed by the 5th token of prompt 2
  const first = full.indexOf(stopStr);
  const decode = (ids: readonly number[]): string => TOK.decode(ids);
  const drop = (await generate(model, PROMPTS, { maxNewTokens: 8, temperature: 0, stopStrings: ['never-there', stopStr], decode })).sequences;
  const keep = (await generate(model, PROMPTS, { maxNewTokens: 8, temperature: 0, stopStrings: [stopStr], decode, includeStopString: true })).sequences;
  assert.equal(drop[2].finishReason, 'stop');
  assert.equal(drop[2].stopString, stopStr);
  assert.equal(drop[2].tokens.length, first + stopStr.length, 'stops at the token that completes the string');
  assert.equal(drop[2].text, full.slice(0, first));
  assert.equal(keep[2].text, full.slice(0, first + stopStr.length));
  drop.forEach((g, i) => {
    const text = TOK.decode(greedy[i].tokens);
    if (!text.includes(stopStr)) assert.equal(g.finishReason, 'length', `prompt ${i}`);
    else assert.ok(g.text !== null && !g.text.includes(stopStr));
  });
});

test('cost: one prefill then one position per step (no prefix re-run); a micro-batch stops when all rows finish', async () => {
  const calls: number[][] = [];
  const spy: CausalLM = {
    ...model,
    forward: () => assert.fail('generate must not run a full forward'),
    forwardCached: (ids, cache, opts) => {
      calls.push(ids.shape);
      return model.forwardCached(ids, cache, opts);
    },
  };
  const r = await generate(spy, PROMPTS, { maxNewTokens: 7, temperature: 0 });
  assert.deepEqual(calls[0], [4, 7], 'prefill: all rows, left-padded to the longest prompt');
  assert.deepEqual(calls.slice(1), new Array(6).fill([4, 1]), 'then one token per row per step; no pass after the last token');
  assert.equal(r.stats.forwardCalls, 7);
  assert.equal(r.stats.tokensFed, 4 * 7 + 4 * 6);
  assert.equal(r.stats.tokensGenerated, 28);
  // Every row hits EOS at once: the loop ends after the first token.
  calls.length = 0;
  const first = (await generate(model, PROMPTS, { maxNewTokens: 1, temperature: 0 })).sequences.map((g) => g.tokens[0]);
  const r2 = await generate(spy, PROMPTS, { maxNewTokens: 7, temperature: 0, eosIds: [...new Set(first)] });
  assert.equal(calls.length, 1);
  assert.ok(r2.sequences.every((g) => g.finishReason === 'eos' && g.tokens.length === 1));
});

test('chunked prefill (long prompts on a bounded heap) gives the same generations', async () => {
  const calls: number[][] = [];
  const spy: CausalLM = {
    ...model,
    forwardCached: (ids, cache, opts) => {
      calls.push(ids.shape);
      return model.forwardCached(ids, cache, opts);
    },
  };
  const opts: GenerateOptions = { maxNewTokens: 6, temperature: 1, seed: 8, modelLogProbs: true };
  const whole = (await generate(model, PROMPTS, opts)).sequences;
  const chunked = (await generate(spy, PROMPTS, { ...opts, prefillChunk: 3 })).sequences;
  assert.deepEqual(calls.slice(0, 4), [[4, 3], [4, 3], [4, 1], [4, 1]], 'prompt of 7 in chunks 3 + 3 + 1, then decoding');
  assert.deepEqual(tokensOf(chunked), tokensOf(whole));
  assert.deepEqual(calls.slice(0, 1), [[4, 3]]);
  // Default chunks: whole short prompts; 64 for a 64 × 512 organism batch; 1 for a 152k vocabulary.
  assert.equal(defaultPrefillChunk(4, 7, 24), 7);
  assert.equal(defaultPrefillChunk(64, 512, 64), 64);
  assert.equal(defaultPrefillChunk(64, 200, 151936), 1);
  chunked.forEach((g, i) => g.modelLogProbs!.forEach((x, k) => assert.ok(Math.abs(x - whole[i].modelLogProbs![k]) < 1e-4)));
});

test('a cache that can drop rows: finished rows are removed and stop costing work; results unchanged', async () => {
  const greedy = (await generate(model, PROMPTS, { maxNewTokens: 8, temperature: 0 })).sequences;
  // EOS = the 2nd greedy token of prompt 0: that row finishes early, the others (most likely) later.
  const eos = greedy[0].tokens[1];
  const opts: GenerateOptions = { maxNewTokens: 8, temperature: 0, eosIds: [eos] };
  const plain = await generate(fixedRowsModel(model), PROMPTS, opts);
  assert.equal(plain.stats.compactions, 0);
  const selectable = perRowModel(model);
  const compacted = await generate(selectable, PROMPTS, opts);
  assert.deepEqual(tokensOf(compacted.sequences), tokensOf(plain.sequences));
  const lengths = plain.sequences.map((g) => g.tokens.length);
  assert.ok(Math.min(...lengths) < Math.max(...lengths), 'rows finish at different steps');
  assert.ok(compacted.stats.compactions >= 1);
  // Work: each decode step runs only rows still alive (plus any not yet dropped), never more than without compaction.
  assert.ok(compacted.stats.tokensFed < plain.stats.tokensFed, `${compacted.stats.tokensFed} vs ${plain.stats.tokensFed}`);
  const decodeRowsAlive = lengths.reduce((s, n) => s + (n - 1), 0); // row-forwards a perfect scheduler needs after the prefill
  assert.ok(selectable.rowsRun - PROMPTS.length <= decodeRowsAlive + PROMPTS.length, `${selectable.rowsRun} row-forwards`);
  // Sampling through the row-selectable cache keeps the seeded draws.
  const s1 = (await generate(model, PROMPTS, { ...opts, temperature: 1, seed: 13 })).sequences;
  const s2 = (await generate(perRowModel(model), PROMPTS, { ...opts, temperature: 1, seed: 13 })).sequences;
  assert.deepEqual(tokensOf(s2), tokensOf(s1));
  // lib/models' own cache drops rows too: same tokens as without dropping, fewer rows fed per step.
  const rowsPerCall: number[] = [];
  const spy: CausalLM = { ...model, forwardCached: (ids, cache, o) => (rowsPerCall.push(ids.shape[0]), model.forwardCached(ids, cache, o)) };
  const own = await generate(spy, PROMPTS, opts);
  assert.deepEqual(tokensOf(own.sequences), tokensOf(plain.sequences));
  assert.ok(own.stats.compactions >= 1);
  assert.ok(Math.min(...rowsPerCall) < PROMPTS.length, `rows per call ${rowsPerCall.join(',')}`);
  assert.equal(own.stats.tokensFed, compacted.stats.tokensFed);
});

test("prefill asks for the last position's logits only; a model that ignores the option still works", async () => {
  const seen: Array<string | undefined> = [];
  const spy: CausalLM = { ...model, forwardCached: (ids, cache, o) => (seen.push(o?.logits), model.forwardCached(ids, cache, o)) };
  const opts: GenerateOptions = { maxNewTokens: 3, temperature: 1, seed: 4, modelLogProbs: true };
  const want = (await generate(model, PROMPTS, opts)).sequences;
  assert.deepEqual(tokensOf((await generate(spy, PROMPTS, { ...opts, prefillChunk: 3 })).sequences), tokensOf(want));
  assert.deepEqual(seen.slice(0, 3), ['last', 'last', 'last'], 'prompt of 7 in chunks of 3: every prefill call');
  const ignoring: CausalLM = { ...model, forwardCached: (ids, cache, o) => model.forwardCached(ids, cache, { ...o, logits: 'all' }) };
  const got = (await generate(ignoring, PROMPTS, opts)).sequences;
  assert.deepEqual(tokensOf(got), tokensOf(want));
  got.forEach((g, i) => g.modelLogProbs!.forEach((x, k) => assert.ok(Math.abs(x - want[i].modelLogProbs![k]) < 1e-5)));
});

test('generateText: encodes the prompts, stops at the tokenizer\'s EOS and decodes', async () => {
  const prompts = ['12 ab', 'j0 9'];
  const eosTok = new CharTokenizer('abcdefghij0123456789 ', { eosText: '|' });
  const viaText = (await generateText(model, eosTok, prompts, { maxNewTokens: 12, temperature: 1, seed: 2 })).sequences;
  const viaIds = (await generate(model, prompts.map((p) => eosTok.encode(p)), { maxNewTokens: 12, temperature: 1, seed: 2, eosIds: [2] })).sequences;
  assert.deepEqual(tokensOf(viaText), tokensOf(viaIds));
  viaText.forEach((g) => {
    assert.equal(g.finishReason === 'eos', g.tokens[g.tokens.length - 1] === 2);
    assert.equal(g.text, eosTok.decode(g.finishReason === 'eos' ? g.tokens.slice(0, -1) : g.tokens));
  });
  await assert.rejects(async () => generateText(model, new CharTokenizer('abcdefghijklmnopqrstuvwxyz'), ['a'], { maxNewTokens: 2, temperature: 0 }), /has 29 ids but the model only 24/);
});

test('bad input: clear errors', async () => {
  await assert.rejects(async () => generate(model, PROMPTS, { maxNewTokens: 4, temperature: 1 }), /needs a seed/);
  await assert.rejects(async () => generate(model, PROMPTS, { maxNewTokens: 0, temperature: 0 }), /maxNewTokens must be a positive integer/);
  await assert.rejects(async () => generate(model, PROMPTS, { maxNewTokens: 4, temperature: 0, stopStrings: ['x'] }), /stopStrings need a decode function/);
  await assert.rejects(async () => generate(model, [[1, 2], []], { maxNewTokens: 4, temperature: 0 }), /promptIds\[1\] is empty/);
  await assert.rejects(async () => generate(model, [[1, V]], { maxNewTokens: 4, temperature: 0 }), /promptIds\[0\]\[1\] is 24, outside/);
  await assert.rejects(async () => generate(model, PROMPTS, { maxNewTokens: 4, temperature: 0, eosIds: [99] }), /eosIds\[0\] must be a token id in \[0, 24\)/);
  await assert.rejects(async () => generate(model, PROMPTS, { maxNewTokens: 4, temperature: 0, topP: 0 }), /topP must be in \(0, 1\]/);
  await assert.rejects(async () => generate(model, PROMPTS, { maxNewTokens: 4, temperature: 1, seed: 1, streams: [0] }), /streams has 1 entries for 4 prompts/);
  await assert.rejects(async () => generate(model, [[1, 2, 3]], { maxNewTokens: 70, temperature: 0 }), /prompt of 3 tokens plus maxNewTokens 70 does not fit/);
});

test('qwen2-tiny fixture: greedy generate reproduces transformers\' greedy continuation', async () => {
  const dir = join(process.cwd(), '..', 'shared', 'fixtures', 'hf-tiny', 'qwen2-tiny');
  const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as { greedy_prompt: number[]; greedy_output: number[] };
  const qwen = loadCheckpoint(dir, { ropeInvFreqPrecision: 'bfloat16' });
  try {
    const n = ref.greedy_output.length - ref.greedy_prompt.length;
    // Alone, and left-padded in a batch beside a longer prompt.
    const longer = [...ref.greedy_prompt, ...ref.greedy_prompt];
    const r = (await generate(qwen, [ref.greedy_prompt, longer], { maxNewTokens: n, temperature: 0 })).sequences;
    assert.deepEqual([...ref.greedy_prompt, ...r[0].tokens], ref.greedy_output);
  } finally {
    qwen.dispose();
  }
});

test('repeated prompts (a GRPO group) are prefilled once and fanned out: the same tokens and log-probs as prefilling every row', async () => {
  const groups = [[1, 5, 9, 12], [1, 7], [1, 20, 4, 4, 8]];
  const prompts = groups.flatMap((p) => [p, p, p, p]); // 3 prompts × 4 samples, groups contiguous
  const opts: GenerateOptions = { maxNewTokens: 6, temperature: 1, seed: 31, modelLogProbs: true, microBatchSize: 12 };
  const fanned = await generate(model, prompts, opts);
  assert.equal(fanned.stats.fanOuts, 1);
  const every = await generate(fixedRowsModel(model), prompts, opts); // a cache without repeatRows: every row prefilled
  assert.equal(every.stats.fanOuts, 0);
  assert.deepEqual(tokensOf(fanned.sequences), tokensOf(every.sequences));
  fanned.sequences.forEach((g, i) => assert.deepEqual(g.modelLogProbs, every.sequences[i].modelLogProbs, `row ${i}`));
  assert.ok(fanned.stats.tokensFed < every.stats.tokensFed, 'the prefill fed 3 rows, not 12');
  // Samples of one prompt still differ (each row has its own stream).
  assert.ok(new Set(fanned.sequences.slice(0, 4).map((g) => g.tokens.join(','))).size > 1);
});
