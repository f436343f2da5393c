import type { MockServer } from '../testkit/mock-http';
import { startMockAnthropic } from '../testkit/mock-anthropic';
import { startMockBedrock } from '../testkit/mock-bedrock';
import { startMockGemini } from '../testkit/mock-gemini';
import { startMockOpenAI } from '../testkit/mock-openai';

export type MockProvider = 'openai' | 'anthropic' | 'gemini' | 'bedrock';

/** Development only: in-process mock providers so `npm start` answers with no network and no keys. */
export async function startDevMocks(ports: Partial<Record<MockProvider, number>>): Promise<MockServer[]> {
  const started: MockServer[] = [];
  const starters: Record<MockProvider, (port: number) => Promise<MockServer>> = {
    openai: (port) => startMockOpenAI({ port }),
    anthropic: (port) => startMockAnthropic({ port }),
    gemini: (port) => startMockGemini({ port }),
    bedrock: (port) => startMockBedrock({ port }),
  };
  for (const [provider, port] of Object.entries(ports) as [MockProvider, number][]) started.push(await starters[provider](port));
  return started;
}
