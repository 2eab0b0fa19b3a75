// The registry of `rlvr` sub-commands, in the order `rlvr --help` lists them.
import type { CliCommand } from './command';
import { demoCommand } from './demo';
import { gradeCommand } from './grade';
import { rewardCommand } from './reward';
import { detectCommand } from './detect';
import { dataCommand } from './data';
import { trainCommand } from './train';
import { serveModelCommand } from './serve-model';
import { evalCommand } from './eval';
import { serveRewardsCommand } from './serve-rewards';
import { importCommand } from './import';
import { pretrainCommand } from './pretrain';
import { gridCommand } from './grid';
import { reportCommand } from './report';
import { reproduceCommand } from './reproduce';

export const COMMANDS: readonly CliCommand[] = [demoCommand, gradeCommand, rewardCommand, detectCommand, dataCommand, serveRewardsCommand, importCommand, serveModelCommand, evalCommand, trainCommand, pretrainCommand, gridCommand, reportCommand, reproduceCommand];
