import { say } from "./prompts.js";
import type { SessionState } from "./sessionState.js";
import type { TurnFacts } from "./turnFacts.js";
import type { Button, Effect, OutboundMessage } from "./types.js";
import type { World } from "./world.js";

export type StepResult = { state: SessionState; effects: Effect[] };

/** What a person sent, as the engine reads it: typed text (trimmed, NFC), a button payload, and the raw form. */
export type Input = { text?: string; payload?: string; raw: string };

/** One turn being worked out: the state as it changes, the effects and the replies, in order. */
export class Turn {
  readonly effects: Effect[] = [];
  readonly messages: OutboundMessage[] = [];
  constructor(
    public state: SessionState,
    readonly world: World,
    readonly facts: TurnFacts,
  ) {}

  say(key: string, params?: Record<string, string | number>): string {
    return say(this.state, this.world, key, params);
  }

  reply(...messages: OutboundMessage[]): void {
    this.messages.push(...messages);
  }

  text(key: string, params?: Record<string, string | number>, buttons?: Button[]): void {
    this.reply({ text: this.say(key, params), buttons });
  }

  result(): StepResult {
    const lastButtons = [...this.messages].reverse().find((message) => message.buttons?.length)?.buttons ?? [];
    this.state.offered = this.messages.length > 0 ? lastButtons : this.state.offered;
    const effects = [...this.effects];
    if (this.messages.length > 0) effects.push({ type: "reply", messages: this.messages });
    return { state: this.state, effects };
  }
}
