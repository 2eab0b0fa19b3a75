"""TRL GRPOTrainer reward functions that call `rlvr serve-rewards` (docs/reward-service.md, grpo.md §4.3).

    from trl import GRPOTrainer
    from trl_reward import make_reward_func
    trainer = GRPOTrainer(model=..., reward_funcs=[make_reward_func("http://127.0.0.1:5000", reward="math", label_column="answer")], ...)

TRL calls f(prompts=..., completions=..., **columns) with one entry per completion; the samples of a
prompt share its text, so the service groups them by (prompt, label). Conversational prompts and
completions (lists of messages) are flattened to their text. Returns one float per completion.
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rlvr_reward_client import post_score  # noqa: E402


def _text(x):
    if isinstance(x, str):
        return x
    if isinstance(x, list):  # conversational: [{"role": ..., "content": ...}, ...]
        return "".join(m.get("content", "") if isinstance(m.get("content"), str) else "" for m in x if isinstance(m, dict))
    return str(x)


def make_reward_func(url="http://127.0.0.1:5000", reward=None, label_column="answer", mode=None, seed=None, asynchronous=False):
    def score(prompts, completions, **kwargs):
        labels = kwargs.get(label_column)
        out = post_score(url, [_text(c) for c in completions], prompts=[_text(p) for p in prompts], labels=labels, reward=reward, mode=mode, seed=seed)
        log_metric = kwargs.get("log_metric")
        if callable(log_metric) and out["rewards"]:
            for name in ("mentions_python", "has_boxed"):
                values = out.get("extra_logs", {}).get(name)
                if values:
                    log_metric(name, sum(values) / len(values))
        return [float(r) for r in out["rewards"]]

    async def score_async(prompts, completions, **kwargs):
        return await asyncio.to_thread(score, prompts, completions, **kwargs)

    fn = score_async if asynchronous else score
    fn.__name__ = f"rlvr_{reward or 'server_default'}"  # TRL logs rewards/<__name__>/mean
    return fn
