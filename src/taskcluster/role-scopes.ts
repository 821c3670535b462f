// The scopes a Taskcluster role must grant so that a client holding it satisfies a set of scope
// expressions: what `tc-canary scopes` prints, ready to paste into the role.

import { satisfiesExpression, scopeUnion, type ScopeExpression } from 'taskcluster-lib-scopes';

/** Scopes every expression requires outright, and the AnyOf choices still to make. */
function split(expression: ScopeExpression, required: string[], choices: Array<{ AnyOf: ScopeExpression[] }>): void {
  if (typeof expression === 'string') required.push(expression);
  else if ('AllOf' in expression) expression.AllOf.forEach((part) => split(part, required, choices));
  else choices.push(expression);
}

/** Scopes satisfying an expression, taking the first alternative of each AnyOf (checks list the narrowest first). */
function firstChoice(expression: ScopeExpression): string[] {
  if (typeof expression === 'string') return [expression];
  if ('AllOf' in expression) return expression.AllOf.flatMap(firstChoice);
  return expression.AnyOf.length > 0 ? firstChoice(expression.AnyOf[0]!) : [];
}

/**
 * The smallest obvious scope set satisfying all expressions: their required scopes, plus for each AnyOf not
 * already satisfied by those, its first alternative; deduplicated and normalized (a `*` scope absorbs those
 * it covers), sorted.
 */
export function roleScopes(expressions: ScopeExpression[]): string[] {
  const required: string[] = [];
  const choices: Array<{ AnyOf: ScopeExpression[] }> = [];
  expressions.forEach((expression) => split(expression, required, choices));
  let scopes = scopeUnion(required, []);
  for (const choice of choices) {
    if (!satisfiesExpression(scopes, choice)) scopes = scopeUnion(scopes, firstChoice(choice));
  }
  return scopes;
}
