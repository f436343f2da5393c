import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';

/** Page size of a connection whose `first` is not given (the schema's default too). */
export const DEFAULT_CONNECTION_FIRST = 20;

type Fragments = Record<string, FragmentDefinitionNode>;
type Variables = Record<string, unknown> | undefined;

/**
 * Deepest field nesting of an operation, fragments expanded. Introspection fields (`__schema`,
 * `__type`, `__typename`) are not counted: the standard introspection query alone is ~13 deep,
 * and introspection has its own on/off switch.
 */
export function operationDepth(operation: OperationDefinitionNode, fragments: Fragments): number {
  const depthOf = (selectionSet: SelectionSetNode | undefined, seen: ReadonlySet<string>): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, seen));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        // Cycles are rejected by GraphQL validation before this runs; `seen` is a second guard.
        if (!fragment || seen.has(name)) continue;
        deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, name])));
      }
    }
    return deepest;
  };
  return depthOf(operation.selectionSet, new Set());
}

/**
 * Static cost: every field costs 1; a field with a `first` argument (a connection) multiplies
 * the cost of what is selected under it by `first`, since that is how many nodes it may return.
 */
export function operationCost(operation: OperationDefinitionNode, fragments: Fragments, variables: Variables): number {
  const costOf = (selectionSet: SelectionSetNode | undefined, seen: ReadonlySet<string>): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const firstArg = selection.arguments?.find((arg) => arg.name.value === 'first');
        const multiplier = firstArg ? pageSizeOf(firstArg.value, variables) : isConnection(selection.selectionSet) ? DEFAULT_CONNECTION_FIRST : 1;
        total += 1 + multiplier * costOf(selection.selectionSet, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(selection.selectionSet, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || seen.has(name)) continue;
        total += costOf(fragment.selectionSet, new Set([...seen, name]));
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, new Set());
}

/** A connection selected without `first` still returns its default page of edges. */
function isConnection(selectionSet: SelectionSetNode | undefined): boolean {
  return selectionSet?.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'edges') ?? false;
}

function pageSizeOf(value: ValueNode, variables: Variables): number {
  if (value.kind === Kind.INT) return Math.max(0, Number.parseInt(value.value, 10));
  if (value.kind === Kind.VARIABLE) {
    const fromVariables = variables?.[value.name.value];
    if (typeof fromVariables === 'number' && Number.isFinite(fromVariables)) return Math.max(0, Math.trunc(fromVariables));
  }
  return DEFAULT_CONNECTION_FIRST;
}
