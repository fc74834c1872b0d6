// One api answer that a view asks for again as its inputs change (a feature, an explanation, a
// comparison): the latest answer, its error in plain words, and whether one is on its way. An
// older answer that arrives after a newer request is dropped.

export class Latest<T> {
  value = $state.raw<T | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  #generation = 0;

  async run(ask: () => Promise<T>): Promise<void> {
    const mine = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const value = await ask();
      if (mine === this.#generation) this.value = value;
    } catch (e) {
      if (mine === this.#generation) this.error = (e as Error).message;
    } finally {
      if (mine === this.#generation) this.loading = false;
    }
  }

  clear(): void {
    this.#generation++;
    this.value = null;
    this.error = null;
    this.loading = false;
  }
}
