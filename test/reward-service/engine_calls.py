"""Calls the adapters in env/adapters/ the way the engines call reward functions (test helper).

The engines are not installed here; this file reproduces only their call shapes, as recorded in
shared/fixtures/engine-wire/README.md (verl b178a3cd56f5, TRL f2cd57710ae3), and nothing else of them.

    python3 engine_calls.py < scenario.json    ->  one JSON object on stdout

A scenario is {"engine": "verl", "overrides": [...], "rows": [...], "shuffle_seed": N?} or
{"engine": "trl", "snippet": "...python...", "calls": [...], "call_mode": "..."}; see run_verl / run_trl.
Every failure is reported as {"error": "<Type>: <message>"} so the test can assert on the message.
"""
import asyncio
import concurrent.futures
import importlib.util
import inspect
import json
import os
import pickle
import random
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

# --- verl ---------------------------------------------------------------------------------------

# The reward-manager registries at b178a3cd56f5: the reward loop's (the default path) and the legacy one.
REWARD_LOOP_MANAGERS = ("naive", "dapo", "limited", "remote")
LEGACY_MANAGERS = ("naive", "batch", "prime", "dapo")


def hydra_value(text):
    """Hydra's override values, as far as these configs use them: ints, booleans, strings."""
    if text in ("True", "true"):
        return True
    if text in ("False", "false"):
        return False
    try:
        return int(text)
    except ValueError:
        return text


def parse_overrides(lines):
    cfg = {}
    for line in lines:
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.lstrip("+").partition("=")
        cfg[key.strip()] = hydra_value(value.strip())
    return cfg


def load_custom_reward_fn(cfg):
    """As verl's get_custom_reward_fn: the module from the path, the function by name (default compute_score),
    reward_kwargs merged into every call (taking precedence), async functions kept async."""
    path = os.path.join(ROOT, cfg["custom_reward_function.path"])
    spec = importlib.util.spec_from_file_location("custom_module", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["custom_module"] = module
    spec.loader.exec_module(module)
    raw = getattr(module, cfg.get("custom_reward_function.name", "compute_score"))
    prefix = "custom_reward_function.reward_kwargs."
    kwargs = {k[len(prefix):]: v for k, v in cfg.items() if k.startswith(prefix)}

    def call(*args, **kw):
        return raw(*args, **{**kw, **kwargs})

    async def call_async(*args, **kw):
        return await raw(*args, **{**kw, **kwargs})

    return call_async if inspect.iscoroutinefunction(raw) else call


def score_of(result):
    return result["score"] if isinstance(result, dict) else result


def run_verl(scenario):
    cfg = parse_overrides(scenario["overrides"])
    rows = list(scenario["rows"])
    if "shuffle_seed" in scenario:  # trainer.balance_batch reorders the batch before scoring
        order = list(range(len(rows)))
        random.Random(scenario["shuffle_seed"]).shuffle(order)
    else:
        order = list(range(len(rows)))
    batch = [rows[i] for i in order]
    use_reward_loop = cfg.get("reward_model.use_reward_loop", True)
    manager = cfg.get("reward_model.reward_manager", "naive")
    registry = REWARD_LOOP_MANAGERS if use_reward_loop else LEGACY_MANAGERS
    if manager not in registry:
        raise ValueError(f"Unknown reward manager: {manager}")
    fn = load_custom_reward_fn(cfg)
    if use_reward_loop:
        scores = asyncio.run(reward_loop_naive(fn, batch))
    elif manager == "batch":
        scores = [score_of(r) for r in fn(
            data_sources=[r["data_source"] for r in batch],
            solution_strs=[r["solution_str"] for r in batch],
            ground_truths=[r["ground_truth"] for r in batch],
            extra_infos=[r.get("extra_info") for r in batch],
        )]
    else:  # legacy naive: one blocking call per sample, in order
        scores = [score_of(fn(data_source=r["data_source"], solution_str=r["solution_str"], ground_truth=r["ground_truth"],
                              extra_info=r.get("extra_info"))) for r in batch]
    out = [None] * len(rows)
    for pos, i in enumerate(order):
        out[i] = scores[pos]
    return {"scores": out, "is_async": inspect.iscoroutinefunction(fn)}


async def reward_loop_naive(fn, batch):
    """The reward loop's naive manager: run_single per sample, all samples as concurrent tasks; a sync function
    runs in the event loop's default executor, an async one is awaited."""
    loop = asyncio.get_running_loop()

    async def run_single(row):
        extra_info = dict(row.get("extra_info") or {})
        extra_info["num_turns"] = None
        extra_info["rollout_reward_scores"] = {}
        kwargs = dict(data_source=row["data_source"], solution_str=row["solution_str"], ground_truth=row["ground_truth"], extra_info=extra_info)
        if inspect.iscoroutinefunction(fn):
            return score_of(await fn(**kwargs))
        return score_of(await loop.run_in_executor(None, lambda: fn(**kwargs)))

    return await asyncio.gather(*[run_single(r) for r in batch])


# --- TRL ----------------------------------------------------------------------------------------

class TrainerState:
    def __init__(self, global_step):
        self.global_step = global_step


def stub_trl():
    """`from trl import GRPOConfig, GRPOTrainer` for the documented snippet: records what it is given."""
    trl = types.ModuleType("trl")

    class GRPOConfig:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    class GRPOTrainer:
        last = None

        def __init__(self, model=None, reward_funcs=None, args=None, train_dataset=None, **kwargs):
            self.reward_funcs = reward_funcs if isinstance(reward_funcs, list) else [reward_funcs]
            self.args = args
            GRPOTrainer.last = self

    trl.GRPOConfig, trl.GRPOTrainer = GRPOConfig, GRPOTrainer
    sys.modules["trl"] = trl
    return trl


def trl_kwargs(call, metrics):
    n = len(call["completions"])
    return dict(prompts=call["prompts"], completions=call["completions"], completion_ids=[[0]] * n,
                **call.get("columns", {}), trainer_state=TrainerState(call.get("step", 0)),
                log_metric=lambda name, value: metrics.append([name, value]))


def call_like_grpo_trainer(fn, call, metrics):
    """GRPOTrainer._calculate_rewards: async functions awaited, sync ones called directly."""
    kwargs = trl_kwargs(call, metrics)
    if asyncio.iscoroutinefunction(fn):
        return asyncio.run(fn(**kwargs))
    return fn(**kwargs)


def call_like_async_trainer(fn, call, metrics):
    """The experimental async trainer: the function crosses a process boundary (pickled), is called once per
    group with prompt= as well, and a sync function runs in asyncio.to_thread."""
    fn = pickle.loads(pickle.dumps(fn))
    kwargs = trl_kwargs(call, metrics)
    kwargs["prompt"] = call["prompts"][0]
    if inspect.iscoroutinefunction(fn):
        return asyncio.run(fn(**kwargs))
    return asyncio.run(asyncio.to_thread(fn, **kwargs))


def run_trl(scenario):
    sys.path.insert(0, os.path.join(ROOT, "env", "adapters"))
    stub_trl()
    namespace = {"ds": object(), "__name__": "snippet"}
    exec(compile(scenario["snippet"], "docs snippet", "exec"), namespace)
    trainer = sys.modules["trl"].GRPOTrainer.last
    fn = trainer.reward_funcs[0]
    metrics = []
    mode = scenario.get("call_mode", "grpo")
    calls = scenario["calls"]
    if mode == "grpo":
        results = [call_like_grpo_trainer(fn, c, metrics) for c in calls]
    elif mode == "async":
        results = [call_like_async_trainer(fn, c, metrics) for c in calls]
    elif mode == "processes":  # one GRPOTrainer per GPU, each scoring its share at the same time
        with concurrent.futures.ThreadPoolExecutor(len(calls)) as pool:
            results = list(pool.map(lambda c: call_like_grpo_trainer(fn, c, metrics), calls))
    else:
        raise ValueError(f"unknown call_mode {mode}")
    return {"results": results, "name": fn.__name__, "num_generations": getattr(trainer.args, "num_generations", None),
            "metrics": metrics, "is_async": inspect.iscoroutinefunction(fn)}


def main():
    scenario = json.load(sys.stdin)
    try:
        out = run_verl(scenario) if scenario["engine"] == "verl" else run_trl(scenario)
    except Exception as e:  # the test asserts on the message
        out = {"error": f"{type(e).__name__}: {e}"}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
