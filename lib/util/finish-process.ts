// How a command or a bench ends. A live WebGPU (Dawn) instance keeps node's event loop running
// after the work is done, so then the process exits at once; otherwise only the exit code is
// set and node exits by itself, which flushes output piped where pipes are asynchronous.
let gpuInstanceLive = false;

/** Called by the WebGPU probe once it holds a Dawn instance with an adapter. */
export function markGpuInstanceLive(): void {
  gpuInstanceLive = true;
}

/** Ends the process with `code` (see the header). */
export function finishProcess(code: number): void {
  process.exitCode = code;
  if (gpuInstanceLive) process.exit(code);
}
