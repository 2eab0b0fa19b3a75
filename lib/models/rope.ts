// Rotary inverse frequencies, as transformers computes them: plain theta^(-2i/d), and the
// Llama 3.1 scaling (low frequencies divided by `factor`, high ones kept, a smooth blend
// between the two wavelength bounds set by low/high_freq_factor). transformers keeps
// inv_freq as a module buffer, so `model.to(torch.bfloat16)` rounds it to bf16 (after the
// llama3 scaling); invFreqPrecision 'bfloat16' reproduces models run that way.
import type { RopeConfig } from './types';

/** Rounds to the nearest bfloat16 (ties to even), kept as a number. */
function toBf16(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  u[0] = (u[0] + 0x7fff + ((u[0] >>> 16) & 1)) & 0xffff0000;
  return f[0];
}

/** Applies the configured storage precision of the inv_freq buffer. */
function finish(inv: Float64Array, rope: RopeConfig): Float64Array {
  if (rope.invFreqPrecision === 'bfloat16') for (let i = 0; i < inv.length; i++) inv[i] = toBf16(inv[i]);
  return inv;
}

/** inv_freq [headDim/2] for a rope config (rounded to float32, as torch holds it). */
export function inverseFrequencies(headDim: number, rope: RopeConfig): Float64Array {
  if (headDim % 2 !== 0) throw new Error(`rope: head_dim ${headDim} must be even`);
  const half = headDim / 2;
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = Math.fround(1 / Math.fround(rope.theta ** Math.fround((2 * i) / headDim)));
  if (rope.type === 'default') return finish(inv, rope);
  const factor = rope.factor as number;
  const low = rope.lowFreqFactor as number;
  const high = rope.highFreqFactor as number;
  const old = rope.originalMaxPositionEmbeddings as number;
  const lowWavelen = old / low;
  const highWavelen = old / high;
  for (let i = 0; i < half; i++) {
    const wavelen = (2 * Math.PI) / inv[i];
    if (wavelen > lowWavelen) inv[i] = inv[i] / factor; // long wavelengths: scaled
    else if (wavelen >= highWavelen) {
      const smooth = (old / wavelen - low) / (high - low); // medium: blend
      inv[i] = (1 - smooth) * (inv[i] / factor) + smooth * inv[i];
    } // short wavelengths: unchanged
    inv[i] = Math.fround(inv[i]);
  }
  return finish(inv, rope);
}
