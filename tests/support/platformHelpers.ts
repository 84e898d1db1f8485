import type pg from "pg";
import { expect } from "vitest";

/** Resolves once every event of this person is handled and every message to them delivered (or given up). */
export async function settled(database: pg.Client, channel: string, userId: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const { rows } = await database.query(
          `select (select count(*) from inbound_events where channel = $1 and user_id = $2 and processed_at is null)
                + (select count(*) from outbound_messages where channel = $1 and user_id = $2 and status = 'pending') as n`,
          [channel, userId],
        );
        return Number(rows[0].n);
      },
      { timeout: 20_000, interval: 20 },
    )
    .toBe(0);
}

/** The button a person would tap for this title: by its title, or by its number when the channel listed the options. */
export function buttonFor<B extends { title?: string }>(buttons: B[], text: string, title: string): B | undefined {
  const byTitle = buttons.find((candidate) => candidate.title === title);
  if (byTitle) return byTitle;
  const number = new RegExp(`^(\\d+)\\. ${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m").exec(text)?.[1];
  return number ? buttons.find((candidate) => candidate.title === number) : undefined;
}
