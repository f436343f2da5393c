import { adapters, geminiAdapter } from './index';

describe('@portcullis/adapter-gemini module', () => {
  it('exports the adapter for the host to load', () => {
    expect(adapters).toEqual([geminiAdapter]);
    expect(geminiAdapter.providers).toEqual(['gemini']);
    expect(geminiAdapter.embeddings).toBeDefined();
  });
});
