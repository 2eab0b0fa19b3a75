// The paper's code-reasoning detector (spec §3.7, §6.1): a response "uses code" iff its
// lower-cased text contains "python". It also defines the Python reward and the in-training
// `accuracy_has_code` metric, so it is kept exactly as loose as the original: "pythonic",
// "Python code" and "```python" all count; a ```py fence without the word does not.

/** True iff the lower-cased text contains the substring "python" (spec §6.1, exactly). */
export function mentionsPython(text: string): boolean {
  return text.toLowerCase().includes('python');
}

/** The stricter test behind the `contain_python` reward: the text contains "```python" (case-insensitive). */
export function hasPythonFence(text: string): boolean {
  return text.toLowerCase().includes('```python');
}
