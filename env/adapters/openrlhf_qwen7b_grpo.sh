#!/usr/bin/env bash
# The paper's Qwen2.5-Math-7B GRPO run (spec §4.1, grpo.md §1) on upstream OpenRLHF over Ray + vLLM,
# with rewards from `rlvr serve-rewards` (docs/reward-service.md). One node, 8 GPUs: 4 actor
# (reference colocated), 4 vLLM engines. Flag names of OpenRLHF releases that still have
# --remote_rm_url (e.g. 591b148c); newer releases renamed them (see the docs' table).
#   REWARD=random0.5 DATA=/path/to/DeepScaleR bash env/adapters/openrlhf_qwen7b_grpo.sh
set -euo pipefail
REWARD=${REWARD:-math}            # math | random0.5 | box_only_format | contain_python_wo_backticks | ...
MODE=${MODE:-authors}             # the paper's grader; strict = our verifier
DATA=${DATA:?set DATA to a folder with train.json (prompt/answer records; e.g. Rethink_RLVR code/data/DeepScaleR)}
PORT=${PORT:-5000}
OUT=${OUT:-./runs/qwen7b-$REWARD}

# 1. The reward service, on this (the Ray head) node; OpenRLHF calls it from every rollout worker.
node "$(dirname "$0")/../../bin/rlvr.mjs" serve-rewards --reward "$REWARD" --mode "$MODE" --seed 42 --port "$PORT" --host 127.0.0.1 \
  --workers 2 --strip-token '<|endoftext|>' &
RM_PID=$!
trap 'kill -TERM $RM_PID' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 1; done

# 2. The trainer.
ray start --head --num-gpus 8 --disable-usage-stats
python3 -m openrlhf.cli.train_ppo_ray \
  --ref_num_nodes 1 --ref_num_gpus_per_node 4 \
  --actor_num_nodes 1 --actor_num_gpus_per_node 4 \
  --colocate_actor_ref \
  --vllm_num_engines 4 --vllm_tensor_parallel_size 1 \
  --pretrain Qwen/Qwen2.5-Math-7B \
  --remote_rm_url "http://127.0.0.1:$PORT/get_reward" \
  --prompt_data "json@$DATA" --input_key prompt --label_key answer --apply_chat_template \
  --advantage_estimator group_norm \
  --n_samples_per_prompt 16 --rollout_batch_size 64 --micro_rollout_batch_size 4 \
  --train_batch_size 128 --micro_train_batch_size 4 --max_epochs 1 \
  --prompt_max_len 1024 --generate_max_len 3072 --temperature 1.0 --top_p 1.0 \
  --actor_learning_rate 5e-7 --lr_scheduler constant --lr_warmup_ratio 0 \
  --adam_betas 0.9 0.95 --l2 0 --max_norm 1.0 --eps_clip 0.2 \
  --use_kl_loss --init_kl_coef 0 --kl_estimator k1 \
  --zero_stage 3 --bf16 --adam_offload --gradient_checkpointing --packing_samples \
  --seed 42 --num_episodes 1 --save_steps 50 --logging_steps 1 \
  --save_path "$OUT/final" --ckpt_path "$OUT/ckpt" --use_tensorboard "$OUT/tb"
