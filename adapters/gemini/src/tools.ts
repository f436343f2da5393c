import type { FunctionTool, ToolChoice, Warning } from '@portcullis/core';
import type { GeminiTool, GeminiToolConfig } from './gemini-types';
import { isEmptyObjectSchema, sanitiseSchema } from './schema';

/** OpenAI function tools -> one Gemini tool holding every function declaration. */
export function convertTools(tools: FunctionTool[], warnings: Warning[]): GeminiTool[] {
  const functionDeclarations = tools.map((tool) => {
    const { name, description, parameters } = tool.function;
    const declaration: GeminiTool['functionDeclarations'][number] = { name };
    if (description !== undefined) declaration.description = description;
    if (parameters !== undefined) {
      const { schema, dropped } = sanitiseSchema(parameters);
      if (dropped.length > 0)
        warnings.push({
          type: 'unsupported-setting',
          setting: `tools[${name}].parameters`,
          message: `Gemini does not accept these JSON Schema keywords; they were removed: ${dropped.join(', ')}.`,
        });
      // A function without parameters is declared without a schema: Gemini rejects an empty OBJECT.
      if (!isEmptyObjectSchema(schema)) declaration.parameters = schema;
    }
    return declaration;
  });
  return [{ functionDeclarations }];
}

export function convertToolChoice(choice: ToolChoice): GeminiToolConfig {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
}
