// The contract's Api for the renderer's state tests: answers from `handlers`, records calls, lets
// a test emit events, and can hold every answer until `gate` opens. Without a gate, the handler
// runs at once, in the same tick as the call.
import type { Api, ApiEvent, ApiInput, ApiOutput, Method } from '../../src-main/common/contract';

export class FakeApi implements Api {
  listeners = new Set<(e: ApiEvent) => void>();
  calls: [Method, unknown][] = [];
  /** when set, every answer waits for it (the handler runs after it opens) */
  gate: Promise<void> | null = null;
  constructor(public handlers: Partial<{ [M in Method]: (input: ApiInput<M>) => ApiOutput<M> | Promise<ApiOutput<M>> }>) {}
  async call<M extends Method>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    this.calls.push([method, input]);
    if (this.gate) await this.gate;
    const h = this.handlers[method] as ((i: ApiInput<M>) => ApiOutput<M> | Promise<ApiOutput<M>>) | undefined;
    if (!h) throw new Error(`no handler for ${method}`);
    return h(input);
  }
  on(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: ApiEvent): void {
    this.listeners.forEach((l) => l(e));
  }
}
