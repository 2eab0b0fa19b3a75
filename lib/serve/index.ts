// Public API of lib/serve: any model of this library behind an OpenAI-compatible HTTP API
// (the same API that vLLM, SGLang, llama.cpp server and Ollama speak; lib/sampling's client talks to all).
export { createModelServer, type HookAnswer, type ModelServer, type ModelServerOptions, type RequestInfo, type ServerStats } from './server';
export { loadServedModel, servedModel, type ServedModel, type ServedModelOptions } from './served-model';
export { CHAR_TOKENIZER_FILE, loadServeTokenizer, readCharTokenizer, saveCharTokenizer } from './tokenizer-file';
export { parseChatRequest, parseCompletionRequest, type ChatRequest, type CompletionRequest, type RequestLimits, type ServeChatMessage, type ServeChatRole, type ServeSampling } from './requests';
export { ApiError } from './api-error';
