// Task kinds that live outside lib/grpo (the model organisms, lib/organisms) plug in here, so that
// `rlvr train` and resumed runs can rebuild their task from config.json without lib/grpo
// depending on them: the config is plain data resolved below, and the folder that implements the
// kind registers a factory when it is imported (lib/organisms does on import).
import type { TrainTask } from './task';

/** A model organism as the training task (lib/organisms; issue 9). */
export interface OrganismTaskConfig {
  kind: 'organism';
  /** Organism family (lib/organisms FAMILY_NAMES). */
  family: string;
  /** Organism folder; null = the shipped data/organisms/<family>-s1. */
  checkpoint: string | null;
  /** Training labels: the true sums, the organism's own majority votes, only its wrong majority votes, or one problem. */
  labels: 'gold' | 'majority-vote' | 'incorrect' | 'one-shot';
  /** Prefill the code style's token (the code-forcing prompt, Table 3's analogue). */
  forceCode: boolean;
}

export const ORGANISM_TASK_DEFAULTS: Readonly<Omit<OrganismTaskConfig, 'family'>> = Object.freeze({
  kind: 'organism', checkpoint: null, labels: 'gold', forceCode: false,
});
export const ORGANISM_LABELS: readonly OrganismTaskConfig['labels'][] = ['gold', 'majority-vote', 'incorrect', 'one-shot'];

export type OrganismTaskFactory = (cfg: OrganismTaskConfig) => TrainTask;

let organismFactory: OrganismTaskFactory | null = null;

/** Called by lib/organisms on import. */
export function registerOrganismTaskFactory(f: OrganismTaskFactory): void {
  organismFactory = f;
}

export function createOrganismTaskFromConfig(cfg: OrganismTaskConfig): TrainTask {
  if (organismFactory === null) {
    throw new Error('task.kind "organism" needs lib/organisms: import it (the rlvr command line does) before training an organism');
  }
  return organismFactory(cfg);
}
