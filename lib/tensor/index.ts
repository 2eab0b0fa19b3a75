// lib/tensor: the only folder that knows which tfjs backend runs and which shapes are
// fast on it. Models call initBackend() once, then mm/bmm/linear/embed, never
// tf.matMul with transpose flags or tf.gather on a differentiable path.

// Backend choice
export { initBackend, BACKEND_NAMES, BACKEND_ENV_VAR, type BackendName, type BackendReport, type InitBackendOptions } from './backend';
// wasm kernel workarounds (applied by initBackend; exported for ablations and tests)
export { patchWasmKernels, unpatchWasmKernels, wasmKernelsPatched } from './wasm-kernels';
export { copyBox, type NumericArray } from './copy-box';
// WebGPU under Node: host copies of small inputs (sync reads of ids and masks), shared scalar buffers
export { patchWebgpuBackend, HOST_COPY_MAX_ELEMENTS, SCALAR_BUFFERS_MAX } from './webgpu-patches';
export { dawnFlags } from './probes';
// Helpers every model uses
export { mm } from './mm';
export { bmm } from './bmm';
export { linear } from './linear';
export { embed } from './embed';
export { tidyFn } from './tidy-fn';
export { addMany, ADD_N_CHUNK } from './add-many';
export { logSoftmaxParts, logSoftmaxRows, type LogSoftmaxParts } from './log-softmax';
