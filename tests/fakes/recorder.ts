import { EventEmitter } from "node:events";

/** An append-only list that can be awaited: `await recorder.waitFor(3)` resolves once 3 entries exist. */
export class Recorder<T> {
  readonly items: T[] = [];
  readonly #events = new EventEmitter();

  constructor(readonly label: string) {
    this.#events.setMaxListeners(1000);
  }

  push(item: T): void {
    this.items.push(item);
    this.#events.emit("change");
  }

  /** Resolves with the `count`-th entry (1-based) as soon as it exists; rejects with the log after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.items.length < count) return false;
        cleanup();
        resolve(this.items[count - 1] as T);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.label}: waited ${timeoutMs} ms for entry ${count}, have ${this.items.length}: ${JSON.stringify(this.items).slice(0, 2000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#events.off("change", check);
      };
      if (!check()) this.#events.on("change", check);
    });
  }
}
