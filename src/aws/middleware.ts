/**
 * The slice of the SDK's middleware stack we plug into, typed locally because
 * `@smithy/types` is not in the import map. Every SDK client's
 * `middlewareStack` satisfies `MiddlewareStackLike`.
 */

/** What the SDK passes down the stack: the HTTP request, once serialised. */
export interface MiddlewareArgs {
  readonly request?: unknown;
}

/** The next handler of the stack. */
export type NextHandler = (args: MiddlewareArgs) => Promise<unknown>;

/**
 * The per-call context; the SDK sets `commandName` (`GetResourcesCommand`)
 * and, under smithy's context key, the call's `abortSignal` (`send`'s option).
 */
export interface MiddlewareContext {
  readonly commandName?: string;
  readonly __smithy_context?: { readonly abortSignal?: AbortSignal };
}

/** A middleware: wraps the next handler. */
export type Middleware = (next: NextHandler, context: MiddlewareContext) => NextHandler;

/** The two ways we place a middleware. */
export interface MiddlewareStackLike {
  // deno-lint-ignore no-explicit-any
  add(middleware: any, options: { step: "initialize"; name: string; priority?: "high" }): void;
  addRelativeTo(
    // deno-lint-ignore no-explicit-any
    middleware: any,
    options: { relation: "after"; toMiddleware: string; name: string },
  ): void;
}

/**
 * Places `middleware` right after the SDK's retry middleware, where it runs
 * once per HTTP attempt (the first try and every retry).
 */
export function addPerAttempt(stack: MiddlewareStackLike, name: string, mw: Middleware): void {
  stack.addRelativeTo(mw, { relation: "after", toMiddleware: "retryMiddleware", name });
}

/** Places `middleware` first in the stack, where it runs once per API call. */
export function addPerCall(stack: MiddlewareStackLike, name: string, mw: Middleware): void {
  stack.add(mw, { step: "initialize", name, priority: "high" });
}

/** `GetResources` from the context's `GetResourcesCommand`. */
export function apiName(context: MiddlewareContext): string {
  return (context.commandName ?? "Unknown").replace(/Command$/, "");
}

/** The signal the call was sent with (`client.send(command, { abortSignal })`), if any. */
export function callSignal(context: MiddlewareContext): AbortSignal | undefined {
  return context.__smithy_context?.abortSignal;
}
