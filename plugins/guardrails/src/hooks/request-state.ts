import { createStateKey } from '@portcullis/core';
import type { Findings } from '../actions/findings';
import type { RedactionVault } from '../actions/vault';
import type { Scanner } from '../detect/scanner';
import type { StreamGuard } from './stream-guard';

/** What guardrails keep for one request between its hooks. */
export interface GuardrailRequestState {
  scanner: Scanner;
  /** The reversible mapping: only here, only for this request. */
  vault: RedactionVault;
  outputFindings: Findings;
  /** Time spent in guardrail hooks so far (ms). */
  elapsedMs: number;
  stream: StreamGuard | null;
}

export const GUARDRAIL_STATE = createStateKey<GuardrailRequestState>('guardrails');
