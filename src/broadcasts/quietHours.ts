/** Vietnam has one time zone without daylight saving: Asia/Ho_Chi_Minh is always UTC+7. */
const vietnamOffsetMs = 7 * 3600_000;
const dayMs = 24 * 3600_000;

export type QuietHours = { startMinute: number; endMinute: number } | null;

/** "21:00-08:00" → minutes of the day; "off" → null (no quiet hours). */
export function parseQuietHours(value: string): QuietHours {
  if (value === "off") return null;
  const match = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(value);
  if (!match) throw new Error(`quiet hours must be HH:MM-HH:MM or off, not ${value}`);
  const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
  return { startMinute: h1 * 60 + m1, endMinute: h2 * 60 + m2 };
}

function minuteOfDay(now: Date): number {
  return Math.floor((((now.getTime() + vietnamOffsetMs) % dayMs) + dayMs) % dayMs / 60_000);
}

/** When the quiet hours around `now` end, or null when `now` is not in them (broadcasts wait, they do not fail). */
export function quietUntil(quiet: QuietHours, now: Date): Date | null {
  if (!quiet || quiet.startMinute === quiet.endMinute) return null;
  const minute = minuteOfDay(now);
  const wraps = quiet.startMinute > quiet.endMinute;
  const inside = wraps ? minute >= quiet.startMinute || minute < quiet.endMinute : minute >= quiet.startMinute && minute < quiet.endMinute;
  if (!inside) return null;
  const minutesLeft = (quiet.endMinute - minute + 24 * 60) % (24 * 60) || 24 * 60;
  const startOfMinute = now.getTime() - (now.getTime() % 60_000);
  return new Date(startOfMinute + minutesLeft * 60_000);
}
