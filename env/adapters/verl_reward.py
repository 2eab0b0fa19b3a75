"""verl custom reward function that calls `rlvr serve-rewards` (docs/reward-service.md, grpo.md §4.2).

Batch manager (one POST per batch; recommended):
    reward_model.reward_manager=batch
    custom_reward_function.path=env/adapters/verl_reward.py
    custom_reward_function.name=compute_score_batch
    +custom_reward_function.reward_kwargs.url=http://127.0.0.1:5000
    +custom_reward_function.reward_kwargs.reward=random0.5   # optional; else the server's --reward
Per-sample managers (naive, reward loop): custom_reward_function.name=compute_score (one POST per sample).

verl passes the response alone (special tokens skipped) and the parquet row's ground truth, so the
service's /score endpoint is used (no prompt prefix to strip). Samples of one prompt are grouped by
extra_info["index"] when the dataset has it (needed for `ttt`; harmless otherwise).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rlvr_reward_client import post_score  # noqa: E402

DEFAULT_URL = os.environ.get("RLVR_REWARD_URL", "http://127.0.0.1:5000")


def _group(extra_info):
    if isinstance(extra_info, dict) and isinstance(extra_info.get("index"), (int, str)):
        return extra_info["index"]
    return None


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos, url=DEFAULT_URL, reward=None, mode=None, seed=None, **kwargs):
    groups = [_group(e) for e in extra_infos]
    out = post_score(url, solution_strs, labels=ground_truths, groups=groups if all(g is not None for g in groups) else None, reward=reward, mode=mode, seed=seed)
    logs = out.get("extra_logs", {})
    return [{"score": r, **{k: v[i] for k, v in logs.items()}} for i, r in enumerate(out["rewards"])]


def compute_score(data_source, solution_str, ground_truth, extra_info=None, url=DEFAULT_URL, reward=None, mode=None, seed=None, **kwargs):
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info], url=url, reward=reward, mode=mode, seed=seed)[0]
