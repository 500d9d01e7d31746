/** The asker of each question kind. */
import type { QuestionType } from '../../types.js';
import { askChoice } from './choice.js';
import { askOpen } from './open.js';
import type { AskKind } from './types.js';

export type { AskContext, Asked, AskKind } from './types.js';

export const ASKERS: Record<QuestionType, AskKind> = { open: askOpen, choice: askChoice };
