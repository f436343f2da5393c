import { GatewayError } from '@portcullis/core';
import { compiledEndpoint } from './__fixtures__/endpoints';
import { renderPrompt } from './render-prompt';

const endpoint = compiledEndpoint({
  target: { alias: 'fast' },
  template: 'Write to {{customer.name}} in {{tone}}: {{input}}',
  inputSchema: {
    type: 'object',
    properties: { customer: { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] }, tone: { enum: ['formal', 'casual'] } },
    required: ['customer', 'tone'],
  },
});

const failure = (fn: () => unknown): GatewayError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
};

describe('renderPrompt', () => {
  it('renders the template with input and variables', () => {
    expect(renderPrompt(endpoint, 'thanks for the order', { customer: { name: 'Ada' }, tone: 'formal' })).toBe('Write to Ada in formal: thanks for the order');
  });

  it('answers 422 naming a missing required variable', () => {
    const err = failure(() => renderPrompt(endpoint, 'hi', { customer: {}, tone: 'formal' }));
    expect(err.code).toBe('GW_ERR_REQUEST_VALIDATION');
    expect(err.status).toBe(422);
    expect(err.param).toBe('variables.customer.name');
    expect(err.message).toContain("'customer.name' is required");
  });

  it('answers 422 naming a variable of the wrong value', () => {
    const err = failure(() => renderPrompt(endpoint, 'hi', { customer: { name: 'Ada' }, tone: 'angry' }));
    expect(err.param).toBe('variables.tone');
    expect(err.status).toBe(422);
  });

  it('answers 422 when the template needs a value nobody sent (no input schema)', () => {
    const loose = compiledEndpoint({ target: { alias: 'fast' }, template: '{{greeting}}, {{input}}' });
    const noVariable = failure(() => renderPrompt(loose, 'x', {}));
    expect(noVariable.param).toBe('variables.greeting');
    expect(noVariable.status).toBe(422);
    const noInput = failure(() => renderPrompt(loose, undefined, { greeting: 'Hi' }));
    expect(noInput.param).toBe('input');
    expect(noInput.message).toBe("Missing template value: 'input'.");
  });

  it('lists every missing value in the message', () => {
    const loose = compiledEndpoint({ target: { alias: 'fast' }, template: '{{a}} {{b.c}} {{input}}' });
    const err = failure(() => renderPrompt(loose, 'x', {}));
    expect(err.message).toBe("Missing template values: 'variables.a', 'variables.b.c'.");
  });

  it('refuses a variable named input (the top-level input owns that name)', () => {
    const loose = compiledEndpoint({ target: { alias: 'fast' } });
    expect(failure(() => renderPrompt(loose, 'x', { input: 'y' })).param).toBe('variables.input');
  });

  it('checks the variables object itself against the schema', () => {
    const strict = compiledEndpoint({ target: { alias: 'fast' }, inputSchema: { type: 'object', minProperties: 1 } });
    expect(failure(() => renderPrompt(strict, 'x', {})).param).toBe('variables');
  });
});
