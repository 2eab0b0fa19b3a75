#!/usr/bin/env bash
# The paper's Qwen2.5-Math-7B GRPO run (spec §4.1, grpo.md §1) on upstream OpenRLHF over Ray + vLLM,
# with rewards from `rlvr serve-rewards` (docs/reward-service.md §5). One node, 8 GPUs: 4 actor
# (reference colocated), 4 vLLM engines.
#   REWARD=random0.5 DATA=/path/to/DeepScaleR bash env/adapters/openrlhf_qwen7b_grpo.sh
# OPENRLHF_CLI picks the flag set: dotted (default; OpenRLHF >= 0.10.2, e.g. 3c3be6234e0c) or flat
# (releases with --remote_rm_url, e.g. 591b148cc5a8). DRY_RUN=1 prints the two commands and exits.
set -euo pipefail
REWARD=${REWARD:-math}            # math | random0.5 | box_only_format | contain_python_wo_backticks | ttt | ...
MODE=${MODE:-authors}             # the paper's grader; strict = our verifier
DATA=${DATA:?set DATA to a folder with train.json (prompt/answer records; e.g. Rethink_RLVR code/data/DeepScaleR)}
PORT=${PORT:-5000}
OUT=${OUT:-./runs/qwen7b-$REWARD}
CLI=${OPENRLHF_CLI:-dotted}
N_SAMPLES=16                      # completions per prompt; the service needs it for ttt (--group-size)
PROMPT_MAX=1024
NEW_TOKENS=3072
URL="http://127.0.0.1:$PORT/get_reward"   # one URL: a group split over several servers cannot be voted on

SERVE=(node "$(dirname "$0")/../../bin/rlvr.mjs" serve-rewards --reward "$REWARD" --mode "$MODE" --seed 42
  --port "$PORT" --host 127.0.0.1 --workers 2 --strip-token '<|endoftext|>' --group-size "$N_SAMPLES")

case "$CLI" in
  dotted)
    # --data.max_len bounds prompt + response; the prompt is cut to max_len - max_new_tokens tokens, so it must be
    # PROMPT_MAX + NEW_TOKENS (the default 2048 would cut every prompt and every reward request would get 422).
    TRAIN=(python3 -m openrlhf.cli.train_ppo_ray
      --ref.num_nodes 1 --ref.num_gpus_per_node 4
      --actor.num_nodes 1 --actor.num_gpus_per_node 4
      --train.colocate_actor_ref
      --vllm.num_engines 4 --vllm.tensor_parallel_size 1
      --actor.model_name_or_path Qwen/Qwen2.5-Math-7B
      --reward.remote_url "$URL"
      --data.prompt_dataset "json@$DATA" --data.input_key prompt --data.label_key answer --data.apply_chat_template
      --data.max_len $((PROMPT_MAX + NEW_TOKENS))
      --algo.advantage.estimator group_norm
      --rollout.n_samples_per_prompt "$N_SAMPLES" --rollout.batch_size 64 --rollout.micro_batch_size 4
      --train.batch_size 128 --train.micro_batch_size 4 --train.max_epochs 1
      --rollout.max_new_tokens "$NEW_TOKENS" --rollout.temperature 1.0 --rollout.top_p 1.0
      --actor.adam.lr 5e-7 --actor.lr_scheduler constant --actor.lr_warmup_ratio 0
      --actor.adam.betas 0.9 0.95 --actor.adam.weight_decay 0 --actor.max_norm 1.0 --actor.eps_clip 0.2
      --algo.kl.use_loss --algo.kl.init_coef 0 --algo.kl.estimator k1
      --ds.zero_stage 3 --ds.param_dtype bf16 --ds.adam_offload --actor.gradient_checkpointing_enable --ds.packing_samples
      --train.seed 42 --train.num_episodes 1 --ckpt.save_steps 50 --logger.logging_steps 1
      --ckpt.output_dir "$OUT/final" --ckpt.path "$OUT/ckpt" --logger.tensorboard_dir "$OUT/tb")
    ;;
  flat)
    TRAIN=(python3 -m openrlhf.cli.train_ppo_ray
      --ref_num_nodes 1 --ref_num_gpus_per_node 4
      --actor_num_nodes 1 --actor_num_gpus_per_node 4
      --colocate_actor_ref
      --vllm_num_engines 4 --vllm_tensor_parallel_size 1
      --pretrain Qwen/Qwen2.5-Math-7B
      --remote_rm_url "$URL"
      --prompt_data "json@$DATA" --input_key prompt --label_key answer --apply_chat_template
      --advantage_estimator group_norm
      --n_samples_per_prompt "$N_SAMPLES" --rollout_batch_size 64 --micro_rollout_batch_size 4
      --train_batch_size 128 --micro_train_batch_size 4 --max_epochs 1
      --prompt_max_len "$PROMPT_MAX" --generate_max_len "$NEW_TOKENS" --temperature 1.0 --top_p 1.0
      --actor_learning_rate 5e-7 --lr_scheduler constant --lr_warmup_ratio 0
      --adam_betas 0.9 0.95 --l2 0 --max_norm 1.0 --eps_clip 0.2
      --use_kl_loss --init_kl_coef 0 --kl_estimator k1
      --zero_stage 3 --bf16 --adam_offload --gradient_checkpointing --packing_samples
      --seed 42 --num_episodes 1 --save_steps 50 --logging_steps 1
      --save_path "$OUT/final" --ckpt_path "$OUT/ckpt" --use_tensorboard "$OUT/tb")
    ;;
  *) echo "OPENRLHF_CLI must be dotted or flat, received '$CLI'" >&2; exit 2 ;;
esac

if [[ -n "${DRY_RUN:-}" ]]; then
  echo "serve: ${SERVE[*]}"
  echo "train: ${TRAIN[*]}"
  exit 0
fi

# 1. The reward service, on this (the Ray head) node; OpenRLHF calls it from every rollout worker.
"${SERVE[@]}" &
RM_PID=$!
trap 'kill -TERM $RM_PID' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 1; done

# 2. The trainer.
ray start --head --num-gpus 8 --disable-usage-stats
"${TRAIN[@]}"
