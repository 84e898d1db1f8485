import { randomBytes } from "node:crypto";
import { and, asc, eq, gt } from "drizzle-orm";
import { expect } from "vitest";
import { outboundMessages } from "../../../db/schema.js";
import type { Button, ChannelName, InboundEvent, OutboundMessage } from "../../../src/conversation/types.js";
import type { Runtime } from "../../../src/runtime.js";

let eventCounter = 0;

type EventBody = InboundEvent extends infer E ? (E extends InboundEvent ? Omit<E, "eventId" | "channel" | "userId" | "at"> : never) : never;

/**
 * A person driven through the same inbox as real webhooks, on any channel, who also receives messages they did
 * not ask for (a card for a branch head, a decision for a citizen): `await head.reads()` shows what arrived.
 * Reads the outbox itself, so it works for Zalo and Messenger identities as well as the web chat.
 */
export class TestPerson {
  private lastOutboxId = 0;
  replies: OutboundMessage[] = [];

  constructor(
    private readonly runtime: Runtime,
    readonly userId: string,
    readonly channel: ChannelName = "web",
    /** When the person acts: the messaging window of Zalo and Messenger starts at their last message. */
    readonly clock: () => number = Date.now,
  ) {}

  get identity() {
    return { channel: this.channel, userId: this.userId };
  }

  private async send(event: EventBody): Promise<this> {
    const full = { eventId: `p${++eventCounter}-${randomBytes(4).toString("hex")}`, channel: this.channel, userId: this.userId, at: this.clock(), ...event } as InboundEvent;
    await this.runtime.inbox.record(full);
    await this.runtime.inbox.drain(this.identity);
    return this.reads();
  }

  /** Everything sent to this person since the last look, without sending anything. */
  async reads(): Promise<this> {
    const rows = await this.runtime.database.db
      .select({ id: outboundMessages.id, message: outboundMessages.message })
      .from(outboundMessages)
      .where(and(eq(outboundMessages.channel, this.channel), eq(outboundMessages.userId, this.userId), gt(outboundMessages.id, this.lastOutboxId)))
      .orderBy(asc(outboundMessages.id));
    this.lastOutboxId = rows.at(-1)?.id ?? this.lastOutboxId;
    this.replies = rows.map((row) => row.message as OutboundMessage);
    return this;
  }

  says(text: string): Promise<this> {
    return this.send({ kind: "text", text });
  }

  /** Taps the button with this title (or matching this pattern) among the last replies' buttons. */
  taps(title: string | RegExp): Promise<this> {
    const button = this.button(title);
    return this.send({ kind: "payload", payload: button.payload, text: button.title });
  }

  /** Sends a button payload as a platform would deliver a tap: a captured one, a forged one. */
  sendsPayload(payload: string): Promise<this> {
    return this.send({ kind: "payload", payload });
  }

  opens(ref?: string): Promise<this> {
    return this.send({ kind: "start", ref });
  }

  button(title: string | RegExp): Button {
    const buttons = this.replies.flatMap((reply) => reply.buttons ?? []);
    const button = buttons.find((candidate) => (typeof title === "string" ? candidate.title === title : title.test(candidate.title)));
    if (!button) throw new Error(`No button "${String(title)}" in the last replies; buttons were: ${buttons.map((b) => b.title).join(" | ") || "(none)"}`);
    return button;
  }

  get lastText(): string {
    return this.replies.map((reply) => reply.text).join("\n");
  }

  get buttonTitles(): string[] {
    return this.replies.flatMap((reply) => reply.buttons ?? []).map((button) => button.title);
  }

  expectReply(pattern: RegExp): this {
    expect(this.lastText).toMatch(pattern);
    return this;
  }

  expectNoReply(pattern: RegExp): this {
    expect(this.lastText).not.toMatch(pattern);
    return this;
  }

  expectButtons(...titles: string[]): this {
    expect(this.buttonTitles).toEqual(expect.arrayContaining(titles));
    return this;
  }

  expectNothing(): this {
    expect(this.replies).toEqual([]);
    return this;
  }
}
