// `npm run bench [-- NAME ...] [--no-save]`: runs every benchmark module (or those named), one after another.
// Each module exports `run(log)`; add a new one to BENCHES. Each run is saved to bench/results/ (bench/results.ts)
// unless --no-save is given.
import { finishProcess } from '../lib/util';
import { runInfo, saveResult } from './results';

type BenchModule = { run(log?: (line: string) => void): Promise<unknown> };

const BENCHES: { name: string; load: () => Promise<BenchModule> }[] = [
  { name: 'verifier', load: () => import('./verifier') },
  { name: 'verifier-authors', load: () => import('./verifier-authors') },
  { name: 'detectors', load: () => import('./detectors') },
  { name: 'tensor', load: () => import('./tensor') },
  { name: 'grpo', load: () => import('./grpo') },
  { name: 'grpo-step', load: () => import('./grpo-step') },
  { name: 'organism', load: () => import('./organism') },
  { name: 'models', load: () => import('./models') },
  { name: 'sampling', load: () => import('./sampling') },
  { name: 'serve-model', load: () => import('./serve-model') },
  { name: 'reward-service', load: () => import('./reward-service') },
];

async function main(args: string[]): Promise<number> {
  const save = !args.includes('--no-save');
  const argv = args.filter((a) => a !== '--no-save');
  const unknown = argv.filter((a) => !BENCHES.some((b) => b.name === a));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const chosen = argv.length === 0 ? BENCHES : BENCHES.filter((b) => argv.includes(b.name));
  let failed = 0;
  for (const b of chosen) {
    console.log(`\n=== ${b.name} ===`);
    const info = runInfo(b.name);
    const lines: string[] = [];
    let result: unknown;
    let error: string | null = null;
    const t0 = performance.now();
    try {
      const mod = await b.load();
      result = await mod.run((line) => {
        lines.push(line);
        console.log(line);
      });
    } catch (e) {
      failed++;
      error = `${(e as Error).stack ?? e}`;
      console.error(`bench ${b.name} failed: ${error}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(`(${b.name}: ${seconds.toFixed(1)} s)`);
    if (save) console.log(`(saved ${saveResult(info, lines, result, seconds, error)})`);
  }
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(finishProcess); // a live WebGPU instance would keep node running
