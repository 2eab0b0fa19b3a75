// Public API of lib/prompts: the paper's named prompt templates and rendering of a
// checkpoint's own Jinja chat template.
export {
  CODE_FORCING_PREFIX,
  PROMPT_VARIANTS,
  QWEN_CHAT_SYSTEM,
  QWEN_MATH_SYSTEM,
  R1_STOP,
  R1_TEMPLATE,
  type PromptVariantStrings,
} from './prompt-strings';
export {
  PROMPT_TEMPLATES,
  chatml,
  fillSlot,
  promptTemplate,
  renderPrompt,
  withAssistantPrefix,
  type PromptTemplate,
  type PromptTemplateName,
  type RenderPromptOptions,
} from './templates';
export { applyChatTemplate, renderChatPrompt, renderChatTemplate, type ChatMessage, type ChatRole, type RenderChatOptions } from './chat-template';
