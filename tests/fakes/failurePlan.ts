/** What a fake platform should answer instead of success: by name (each documented error class) or verbatim. */
export type FakeFailureName = "outsideWindow" | "blocked" | "rateLimited" | "tokenExpired" | "outage" | "temporary" | "permanent";

export type FailureOptions = { times?: number; userId?: string; skip?: number };

type Rule<F> = { failure: F; remaining: number | "untilRecovered"; userId: string | undefined; skip: number };

/** A programmable list of failures: one-shot (`times`) or persistent until `recover()`, optionally for one recipient. */
export class FailurePlan<F = FakeFailureName> {
  #rules: Rule<F>[] = [];

  /** `skip`: let this many matching requests succeed first (e.g. fail the second part of a long message). */
  add(failure: F, options: FailureOptions = {}): void {
    this.#rules.push({ failure, remaining: options.times ?? "untilRecovered", userId: options.userId, skip: options.skip ?? 0 });
  }

  recover(): void {
    this.#rules = [];
  }

  /** The failure to answer this request with, consuming one use of a one-shot rule; null to succeed. */
  take(userId: string | undefined): F | null {
    const rule = this.#rules.find((candidate) => candidate.userId === undefined || candidate.userId === userId);
    if (!rule) return null;
    if (rule.skip > 0) {
      rule.skip -= 1;
      return null;
    }
    if (rule.remaining !== "untilRecovered") {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.#rules.splice(this.#rules.indexOf(rule), 1);
    }
    return rule.failure;
  }
}
