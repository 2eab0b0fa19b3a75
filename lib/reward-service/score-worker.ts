// Entry of one scoring thread: receives a share of a job's groups, returns their scores.
// Loaded by pool.ts; does nothing when imported on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { RewardCache, scoreGroups, type GroupScore, type JobGroup } from './score';
import type { ScoreJob } from './types';

export interface WorkerTask {
  id: number;
  groups: JobGroup[];
  job: Pick<ScoreJob, 'reward' | 'mode' | 'seed'>;
}

export type WorkerReply = { id: number; scores: GroupScore[] } | { id: number; error: string };

const port = parentPort;
if (port && (workerData as { rewardServiceWorker?: boolean } | null)?.rewardServiceWorker) {
  const cache = new RewardCache((workerData as { deadlineMs?: number }).deadlineMs);
  port.on('message', (task: WorkerTask) => {
    let reply: WorkerReply;
    try {
      reply = { id: task.id, scores: scoreGroups(task.groups, task.job, cache) };
    } catch (e) {
      reply = { id: task.id, error: (e as Error).message };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
