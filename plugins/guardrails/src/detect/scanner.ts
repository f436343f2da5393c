import { isNameType, PROMPT_INJECTION } from '../entities';
import type { GuardrailAction, ResolvedPolicy } from '../policy/schema';
import { customPatternDetector } from './custom';
import { emailDetector } from './email';
import { promptInjectionDetector } from './injection';
import { resolveOverlaps } from './overlaps';
import { phoneDetector } from './phone';
import {
  creditCardDetector,
  cryptoWalletDetectors,
  dateOfBirthDetector,
  ibanDetector,
  ipDetectors,
  macDetector,
  nationalIdDetectors,
  passportDetector,
  ssnDetectors,
  urlCredentialsDetector,
} from './pii';
import { genericSecretDetector, privateKeyDetector, providerTokenDetectors } from './secrets';
import { sharedScanFactory } from './shared-scan';
import type { Detector, Span } from './types';

/** Custom patterns only ever see windows this long (see custom.ts). */
export const CUSTOM_PATTERN_WINDOW = 2048;

/** Everything a policy needs at request time, compiled once per policy version set. */
export interface Scanner {
  readonly policy: ResolvedPolicy;
  /** PII, secrets and custom patterns the policy acts on; overlaps resolved, sorted by start. */
  scan(text: string): Span[];
  /** Prompt-injection phrases (empty when the policy turns the detector off). */
  scanInjection(text: string): Span[];
  /** Name types (PERSON, ...) the policy acts on; empty means no worker round trip. */
  readonly nameTypes: readonly string[];
  /** Stream hold-back window: the longest entity being detected, capped by the policy. */
  readonly window: number;
  /** Whether any active detector finds dates of birth / PEM keys (drive stream keyword holds). */
  readonly detectsDateOfBirth: boolean;
  readonly detectsPrivateKeys: boolean;
  actionFor(type: string): GuardrailAction;
}

export function allBuiltinDetectors(policy: Pick<ResolvedPolicy, 'phoneRegions'>): Detector[] {
  return [
    emailDetector(),
    phoneDetector({ regions: policy.phoneRegions }),
    creditCardDetector(),
    ibanDetector(),
    ...ssnDetectors(),
    ...ipDetectors(),
    macDetector(),
    dateOfBirthDetector(),
    passportDetector(),
    ...nationalIdDetectors(),
    ...cryptoWalletDetectors(),
    urlCredentialsDetector(),
    privateKeyDetector(),
    ...providerTokenDetectors(),
    genericSecretDetector(),
  ];
}

export function compileScanner(policy: ResolvedPolicy): Scanner {
  const actionFor = (type: string): GuardrailAction => policy.entities[type] ?? 'off';
  const detectors = [
    ...allBuiltinDetectors(policy),
    ...policy.customPatterns.map((p) =>
      customPatternDetector({ name: p.name, pattern: p.pattern, flags: p.flags ?? '', maxLength: p.maxLength ?? 128 }, CUSTOM_PATTERN_WINDOW),
    ),
  ].filter((d) => actionFor(d.type) !== 'off');
  const injection = policy.promptInjection === 'off' ? null : promptInjectionDetector();
  const nameTypes = Object.keys(policy.entities).filter((t) => isNameType(t) && actionFor(t) !== 'off');
  const shareScan = sharedScanFactory();
  const longest = Math.max(16, ...detectors.map((d) => d.maxLength), nameTypes.length > 0 ? 64 : 0);

  return {
    policy,
    actionFor,
    nameTypes,
    window: Math.min(policy.streamWindow, longest),
    detectsDateOfBirth: detectors.some((d) => d.type === 'DATE_OF_BIRTH'),
    detectsPrivateKeys: detectors.some((d) => d.type === 'PRIVATE_KEY'),
    scan(text) {
      if (text.length === 0) return [];
      const spans: Span[] = [];
      const shared = shareScan(text);
      for (const detector of detectors) detector.find(text, spans, shared);
      return resolveOverlaps(spans);
    },
    scanInjection(text) {
      if (injection === null || text.length === 0) return [];
      const spans: Span[] = [];
      injection.find(text, spans, shareScan(text));
      return spans.map((s) => ({ ...s, type: PROMPT_INJECTION }));
    },
  };
}
