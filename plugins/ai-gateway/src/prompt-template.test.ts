import Mustache from 'mustache';
import { parsePromptTemplate, type PromptTemplate } from './prompt-template';

const compile = (text: string): PromptTemplate => {
  const parsed = parsePromptTemplate(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.template;
};

describe('prompt templates', () => {
  it('inserts values without HTML escaping, in double and triple braces alike', () => {
    const t = compile('Q: {{input}} | raw: {{{input}}} | amp: {{& input}}');
    const input = `<b>Tom & "Jerry"</b> it's`;
    expect(t.render({ input })).toBe(`Q: ${input} | raw: ${input} | amp: ${input}`);
  });

  it('leaves Mustache’s global escape untouched', () => {
    compile('{{input}}').render({ input: '<x>' });
    expect(Mustache.render('{{v}}', { v: '<x>' })).toBe('&lt;x&gt;');
  });

  it('renders named variables, dotted names, numbers and booleans', () => {
    const t = compile('{{customer.name}} ordered {{count}} (gift: {{gift}})');
    expect(t.render({ customer: { name: 'Ada' }, count: 3, gift: false })).toBe('Ada ordered 3 (gift: false)');
  });

  it('renders objects and arrays as JSON rather than [object Object]', () => {
    const t = compile('data={{input}} list={{{tags}}}');
    expect(t.render({ input: { a: 1 }, tags: ['x', 'y'] })).toBe('data={"a":1} list=["x","y"]');
  });

  it('lists top-level interpolations as required and reports the ones the view lacks', () => {
    const t = compile('{{input}} for {{customer.name}} {{#vip}}VIP {{level}}{{/vip}}{{^vip}}regular{{/vip}} {{{note}}}');
    expect([...t.requiredNames].sort()).toEqual(['customer.name', 'input', 'note']);
    expect(t.missing({ input: 'hi', customer: {}, note: null })).toEqual([{ name: 'customer.name' }, { name: 'note' }]);
    expect(t.missing({ input: 'hi', customer: { name: 'Ada' }, note: '' })).toEqual([]);
  });

  it('renders a section whose value is missing as empty (sections are how templates make parts optional)', () => {
    const t = compile('A{{#extra}}[{{extra}}]{{/extra}}B');
    expect(t.missing({})).toEqual([]);
    expect(t.render({})).toBe('AB');
    expect(t.render({ extra: 'x' })).toBe('A[x]B');
  });

  it('refuses templates that do not parse', () => {
    const unclosed = parsePromptTemplate('Hello {{#items}}x');
    expect(unclosed.ok).toBe(false);
    if (!unclosed.ok) expect(unclosed.message).toMatch(/Unclosed section "items"/);
    expect(parsePromptTemplate('Hello {{name').ok).toBe(false);
  });

  it('refuses partials, which have nowhere to load from', () => {
    const parsed = parsePromptTemplate('{{#a}}{{> footer}}{{/a}}');
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining('{{> footer}}') });
  });

  it('supports delimiter changes for prompts that contain braces', () => {
    const t = compile('{{=<% %>=}}JSON like {"a": 1} then <% input %>');
    expect(t.render({ input: 'done' })).toBe('JSON like {"a": 1} then done');
  });
});
