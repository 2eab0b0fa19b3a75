"""TRL GRPOTrainer reward functions that call `rlvr serve-rewards` (docs/reward-service.md §7, grpo.md §4.3).

    from trl import GRPOTrainer
    from trl_reward import make_reward_func
    trainer = GRPOTrainer(model=..., reward_funcs=[make_reward_func("http://127.0.0.1:5000", reward="math",
                                                                    label_column="solution")], ...)

TRL (f2cd57710ae3) calls f(prompts=..., completions=..., completion_ids=..., **dataset_columns,
trainer_state=..., log_metric=...) with one entry per completion; the experimental async trainer calls it
once per group (adding prompt=...) and pickles it. make_reward_func returns a functools.partial of a
module-level function with a frozen config, so it pickles, keeps the async flavour visible to
inspect.iscoroutinefunction, and carries the __name__ TRL logs under (rewards/<name>/mean).

Labels: the dataset column named by label_column (default "answer"). If TRL passed no such column the call
fails with the columns it did pass: a reward that compares with a label must not silently compare with
nothing. label_column=None sends no labels (for random, format or Python rewards).

Groups: the samples of a prompt share its text, so the service groups them by prompt; on several GPUs each
process scores its share of a group, and for rewards that need the whole group (ttt; pass group_size =
num_generations) the service holds each share until the group is complete. trainer_state.global_step is
sent as `step`, so one prompt in two steps never mixes.
"""
import functools
import os
import sys
from dataclasses import dataclass
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rlvr_reward_client import post_score, post_score_async  # noqa: E402

# Keyword arguments TRL adds besides the dataset's columns.
TRL_ARGUMENTS = frozenset({"prompt", "completion_ids", "trainer_state", "log_metric", "log_extra", "environments"})
LIKELY_LABEL_COLUMNS = ("answer", "solution", "ground_truth", "label", "gold", "target")


@dataclass(frozen=True)
class RewardConfig:
    url: str = "http://127.0.0.1:5000"
    reward: Optional[str] = None
    label_column: Optional[str] = "answer"
    mode: Optional[str] = None
    seed: Optional[int] = None
    group_size: Optional[int] = None


def _text(x):
    if isinstance(x, str):
        return x
    if isinstance(x, list):  # conversational: [{"role": ..., "content": ...}, ...]
        return "".join(m.get("content", "") if isinstance(m.get("content"), str) else "" for m in x if isinstance(m, dict))
    return str(x)


def _labels(config, n, kwargs):
    if config.label_column is None:
        return None
    if config.label_column not in kwargs:
        columns = sorted(k for k in kwargs if k not in TRL_ARGUMENTS)
        likely = [c for c in columns if c in LIKELY_LABEL_COLUMNS]
        hint = f" (did you mean label_column={likely[0]!r}?)" if likely else ""
        raise KeyError(f"rlvr reward function: TRL passed no dataset column {config.label_column!r}; the columns it passed are {columns}"
                       f"{hint}. Pass make_reward_func(label_column=<the column with the answers>), or label_column=None for a reward that reads no label")
    labels = list(kwargs[config.label_column])
    if len(labels) != n:
        raise ValueError(f"rlvr reward function: column {config.label_column!r} has {len(labels)} values for {n} completions")
    return labels


def _request(config, prompts, completions, kwargs):
    texts = [_text(c) for c in completions]
    prompt_texts = None if prompts is None else [_text(p) for p in prompts]
    state = kwargs.get("trainer_state")
    step = getattr(state, "global_step", None)
    extra = dict(reward=config.reward, mode=config.mode, seed=config.seed, group_size=config.group_size, step=step if isinstance(step, int) else None)
    return texts, prompt_texts, _labels(config, len(texts), kwargs), extra


def _finish(out, kwargs):
    log_metric = kwargs.get("log_metric")
    if callable(log_metric) and out["rewards"]:
        for name in ("mentions_python", "has_boxed"):
            values = out.get("extra_logs", {}).get(name)
            if values:
                log_metric(name, sum(values) / len(values))
    return [float(r) for r in out["rewards"]]


def score_completions(config, /, prompts=None, completions=(), **kwargs):
    """TRL reward function (bind `config` with functools.partial; make_reward_func does)."""
    texts, prompt_texts, labels, extra = _request(config, prompts, completions, kwargs)
    return _finish(post_score(config.url, texts, prompts=prompt_texts, labels=labels, **extra), kwargs)


async def score_completions_async(config, /, prompts=None, completions=(), **kwargs):
    """The same as a coroutine (TRL runs async reward functions concurrently)."""
    texts, prompt_texts, labels, extra = _request(config, prompts, completions, kwargs)
    return _finish(await post_score_async(config.url, texts, prompts=prompt_texts, labels=labels, **extra), kwargs)


def make_reward_func(url="http://127.0.0.1:5000", reward=None, label_column="answer", mode=None, seed=None, group_size=None, asynchronous=False):
    config = RewardConfig(url=url, reward=reward, label_column=label_column, mode=mode, seed=seed, group_size=group_size)
    fn = functools.partial(score_completions_async if asynchronous else score_completions, config)
    fn.__name__ = f"rlvr_{reward or 'server_default'}"  # TRL logs rewards/<__name__>/mean
    return fn
