"""verl custom reward functions that call `rlvr serve-rewards` (docs/reward-service.md §6, grpo.md §4.2).

Which function for which verl reward manager (verl b178a3cd56f5):

  reward loop, verl's default (reward_model.use_reward_loop=True; managers naive, dapo, limited, remote):
      one sample per call, samples concurrently as coroutines
      custom_reward_function.name=compute_score_async
  legacy batch manager (reward_model.use_reward_loop=False reward_model.reward_manager=batch):
      the whole batch in one call, as lists
      custom_reward_function.name=compute_score_batch
  legacy naive manager (reward_model.use_reward_loop=False reward_model.reward_manager=naive):
      one blocking call per sample, in order
      custom_reward_function.name=compute_score   (refuses rewards that need the whole group, e.g. ttt)

    custom_reward_function.path=env/adapters/verl_reward.py
    +custom_reward_function.reward_kwargs.url=http://127.0.0.1:5000
    +custom_reward_function.reward_kwargs.reward=random0.5    # optional; else the server's --reward
    +custom_reward_function.reward_kwargs.group_size=16       # = actor_rollout_ref.rollout.n; needed for ttt

verl passes the response alone (special tokens skipped) and the row's reward_model.ground_truth, and no
prompt. So the adapter names each sample's prompt by a key it can compute (prompt_key): the dataset's
extra_info.index when present, else a hash of a prompt text in extra_info ("question", "prompt" or
"problem"), else nothing, and then the service can group only by the ground truth: rewards that need the
whole group (ttt) are then scored only where that is unambiguous (a whole batch in which each ground truth
has exactly group_size samples) and refused otherwise. Different prompts are never merged.
"""
import hashlib
import numbers
import os
import sys
from collections.abc import Mapping

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rlvr_reward_client import post_score, post_score_async  # noqa: E402

DEFAULT_URL = os.environ.get("RLVR_REWARD_URL", "http://127.0.0.1:5000")
PROMPT_FIELDS = ("question", "prompt", "problem")


def prompt_key(data_source, extra_info):
    """The groups id of a sample's prompt, or None when verl gave nothing that identifies it."""
    info = extra_info if isinstance(extra_info, Mapping) else {}
    index = info.get("index")
    if isinstance(index, float) and index.is_integer():  # pandas turns an int column with gaps into floats
        index = int(index)
    if (isinstance(index, numbers.Integral) and not isinstance(index, bool)) or (isinstance(index, str) and index):
        return f"{data_source}#index:{index}"
    for field in PROMPT_FIELDS:
        text = info.get(field)
        if isinstance(text, str) and text:
            return f"{data_source}#prompt:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}"
    return None


def _results(out):
    logs = out.get("extra_logs", {})
    return [{"score": r, **{k: v[i] for k, v in logs.items()}} for i, r in enumerate(out["rewards"])]


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, url=DEFAULT_URL, reward=None, mode=None, seed=None, group_size=None, **kwargs):
    """Legacy batch manager: the whole batch, so every group is complete in this call (never waits)."""
    infos = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    groups = [prompt_key(ds, e) for ds, e in zip(data_sources, infos)]
    out = post_score(url, solution_strs, labels=ground_truths, groups=groups, reward=reward, mode=mode, seed=seed, group_size=group_size, wait_for_group=False)
    return _results(out)


def compute_score(data_source, solution_str, ground_truth, extra_info=None, url=DEFAULT_URL, reward=None, mode=None, seed=None, group_size=None, **kwargs):
    """Legacy naive manager: one sample per blocking call, so it cannot wait for the rest of a group."""
    out = post_score(url, [solution_str], labels=[ground_truth], groups=[prompt_key(data_source, extra_info)], reward=reward, mode=mode, seed=seed, group_size=group_size, wait_for_group=False)
    return _results(out)[0]


async def compute_score_async(data_source, solution_str, ground_truth, extra_info=None, url=DEFAULT_URL, reward=None, mode=None, seed=None, group_size=None, **kwargs):
    """Reward loop: one sample per call, as a coroutine; for ttt it waits at the service until the prompt's
    whole group has arrived (from this or any other reward-loop worker), without holding a thread."""
    out = await post_score_async(url, [solution_str], labels=[ground_truth], groups=[prompt_key(data_source, extra_info)], reward=reward, mode=mode, seed=seed, group_size=group_size)
    return _results(out)[0]
