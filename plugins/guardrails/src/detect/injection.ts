import { PROMPT_INJECTION } from '../entities';
import { regexDetector, type Detector } from './types';

/**
 * Prompt-injection heuristics: instruction overrides, role-play jailbreak markers and attempts
 * to read the system prompt. Phrase lists, not a classifier: cheap, explainable, and tuned to
 * fire on the imperative forms (a text that merely talks about "previous instructions" passes).
 */
const OVERRIDE =
  "(?:ignore|disregard|forget|override|bypass|skip)\\s+(?:all\\s+|any\\s+|every\\s+|the\\s+|your\\s+|my\\s+|of\\s+)*(?:previous|prior|above|earlier|preceding|original|initial|system|existing)\\s+(?:instructions?|prompts?|rules|directions|directives|guidelines|constraints|messages?)";
const NEW_RULES = '(?:from now on|starting now),?\\s+you\\s+(?:will|must|are|shall)\\s+(?:ignore|not follow|no longer)';
const JAILBREAK =
  "(?:\\bDAN\\b(?:\\s+mode)?|do anything now|developer mode (?:enabled|on|activated)|jailbreak(?:ed|ing)? mode|you are (?:now )?(?:an? )?(?:unrestricted|unfiltered|uncensored|jailbroken)|(?:act|pretend|behave|roleplay) (?:as|like|to be) (?:an? )?(?:unrestricted|unfiltered|uncensored|evil|jailbroken)|without any (?:restrictions|filters|rules|limitations|guidelines)|no (?:ethical|moral|safety) (?:restrictions|guidelines|filters))";
const EXFILTRATE =
  '(?:(?:reveal|show|print|repeat|output|display|tell me|give me|leak|dump|recite)\\s+(?:me\\s+)?(?:all\\s+|the\\s+|your\\s+|of\\s+)*(?:system prompt|system message|initial (?:instructions|prompt)|hidden (?:instructions|prompt)|original (?:instructions|prompt)|instructions (?:above|you were given)|prompt above)|what (?:is|are|was|were) your (?:system prompt|initial instructions|original instructions|hidden instructions))';

export function promptInjectionDetector(): Detector {
  return regexDetector({
    type: PROMPT_INJECTION,
    regex: new RegExp(`${OVERRIDE}|${NEW_RULES}|${JAILBREAK}|${EXFILTRATE}`, 'gi'),
    maxLength: 200,
  });
}
