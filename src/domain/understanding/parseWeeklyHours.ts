import { afterCorrection } from "./afterCorrection.js";
import { scanTimePhrases, type Period, type TimeItem } from "./scanTimePhrases.js";
import { tokenizeQuantities, type QuantityToken } from "./tokenizeQuantities.js";

export type WeeklyHours = { status: "ok"; hours: number } | { status: "implausible"; hours: number } | { status: "none" };

/** More than this many hours of study a week is more likely a typo than the truth: confirm it. */
export const MAX_PLAUSIBLE_WEEKLY_HOURS = 80;

const PER_WEEK: Record<Exclude<Period, "session">, number> = { day: 7, week: 1, month: 12 / 52, year: 1 / 52 };
const ZERO_WORDS = new Set(["khong", "chua", "hong", "hem", "chang", "none", "nothing", "zero", "never", "no", "nope"]);
// "không biết", "không nhớ", "tùy", "ít", "vài", "nhiều": the person did not give an amount; ask again.
const UNSURE_WORDS = new Set(["biet", "nho", "ro", "chac", "hieu", "tuy", "depends", "vai", "it", "nhieu", "few", "sometimes"]);

type Located = Extract<TimeItem, { kind: "duration" | "count" | "bare" }>;

/**
 * The period said right after an amount, else right before it, within its clause and up to the next amount.
 * A count ("3 buổi") is never "per session".
 */
function periodOf(items: TimeItem[], index: number, ofCount = false): Period | undefined {
  const stops = (item: TimeItem | undefined): boolean =>
    item === undefined || item.kind === "break" || item.kind === "duration" || item.kind === "count" || item.kind === "bare";
  // "tuần 2 ngày, mỗi ngày 2 tiếng": days are not counted per day; the "mỗi ngày" after them is each of them.
  const counted = items[index];
  const each = ofCount && counted?.kind === "count" ? counted.each : undefined;
  for (let i = index + 1; !stops(items[i]); i++) {
    const item = items[i];
    if (item?.kind === "period" && !(ofCount && item.period === "session") && item.period !== each) return item.period;
  }
  for (let i = index - 1; !stops(items[i]); i--) {
    const item = items[i];
    // "twice a week for an hour": the week is the count's, not the hour's.
    if (!ofCount && items[i - 1]?.kind === "count") continue;
    if (item?.kind === "period" && !(ofCount && item.period === "session")) return item.period;
  }
  return undefined;
}

// Between two weekdays, these make a range ("thứ 2 đến thứ 6"; the tokenizer turns a dash into "đến"); "và", "với"
// or a comma list them ("thứ 3 và thứ 5" is two days).
const WEEKDAY_RANGE_WORDS = new Set(["den", "toi", "to", "through", "till", "until"]);

// "trừ chủ nhật", "except Sunday": the days named are the ones off.
const EXCEPT_WORDS = new Set(["tru", "except", "ngoai"]);

function weekdayCount(items: TimeItem[], tokens: QuantityToken[]): number {
  const days = new Set<number>();
  items.forEach((item, i) => {
    if (item.kind !== "weekday") return;
    days.add(item.day);
    const to = items[i + 1];
    const ranged = to?.kind === "weekday" && tokens.slice(item.end, to.start).some((token) => WEEKDAY_RANGE_WORDS.has(token.key));
    if (ranged) for (let d = item.day; d <= to.day; d++) days.add(d);
  });
  const first = items.find((item) => item.kind === "weekday");
  const except = first !== undefined && [1, 2].some((back) => EXCEPT_WORDS.has(tokens[first.start - back]?.key ?? ""));
  return except && days.size < 7 ? 7 - days.size : days.size;
}

function saysZero(tokens: QuantityToken[]): boolean {
  const keys = tokens.map((t) => t.key);
  const said = keys.join(" ");
  // "không cố định", "không đều": the time varies, it is not none.
  if (keys.some((k) => UNSURE_WORDS.has(k)) || /(?:^| )(?:co dinh|on dinh|khong deu|nhat dinh|fixed|regular)(?: |$)/.test(said)) return false;
  // "làm gì có thời gian", "lấy đâu ra thời gian", Central "răng mà có thì giờ": asked so as to say none.
  if (/(?:^| )(?:lam gi|lam sao|sao|rang|lay dau|dau) (?:ma |)(?:co|ra) (?:thoi gian|thi gio|gio)(?: |$)/.test(said)) return true;
  return keys.some((k) => ZERO_WORDS.has(k)) || said.includes("dont have time");
}

function result(hours: number): WeeklyHours {
  const rounded = Math.round(hours * 100) / 100;
  return rounded > MAX_PLAUSIBLE_WEEKLY_HOURS ? { status: "implausible", hours: rounded } : { status: "ok", hours: rounded };
}

const AMBIGUOUS_ALONE = new Set(["nam", "ba", "sau", "bay", "tam", "bon"]);

/**
 * Hours per week of study from a free answer: "2 tiếng" (no period: per week), "2h", "30p", "30 phút mỗi ngày" (3.5),
 * "1 tiếng rưỡi/tuần", "mỗi tối 1 tiếng" (7), "1 giờ/tháng" (0.23), "3 buổi một tuần, mỗi buổi 2 tiếng" (6),
 * "3 hours a week", "không có thời gian" (0). A bare number is hours per week; a range counts as its middle.
 * More than 80 hours a week is "implausible" (confirm); no amount at all is "none" (ask again).
 */
export function parseWeeklyHours(said: string): WeeklyHours {
  const input = afterCorrection(said);
  const tokens = tokenizeQuantities(input);
  const items = scanTimePhrases(tokens);
  if (items.some((item) => item.kind === "unreadable")) return { status: "none" };

  const amounts = items
    .map((item, index) => ({ item, index }))
    .filter((entry): entry is { item: Located; index: number } =>
      entry.item.kind === "duration" || entry.item.kind === "count" || entry.item.kind === "bare",
    );
  let durations = amounts.filter((a) => a.item.kind === "duration");
  const bare = amounts.filter((a) => a.item.kind === "bare");
  // A phone number or a year ("0912345678", "1970") answers another question; so does an unmarked word alone that is
  // as often another word ("nam": năm or nam, the gender; "ba": three or dad).
  if (bare.some((a) => a.item.kind === "bare" && a.item.value >= 1000)) return { status: "none" };
  if (tokens.length === 1 && !tokens[0]?.marked && AMBIGUOUS_ALONE.has(tokens[0]?.key ?? "")) return { status: "none" };
  const counts = amounts.filter((a) => a.item.kind === "count");

  if (durations.length === 0) {
    if (bare.length === 1) durations = bare;
    else if (bare.length === 0 && counts.length === 0) return saysZero(tokens) ? result(0) : { status: "none" };
    else return { status: "none" };
  }

  // How many sessions a week when the person counts them: "3 buổi một tuần", "2 lần mỗi ngày", "thứ 7, chủ nhật".
  let sessionsPerWeek: number | undefined;
  const firstCount = counts[0];
  if (firstCount?.item.kind === "count") {
    const period = periodOf(items, firstCount.index, true) ?? "week";
    if (period === "session") return { status: "none" };
    sessionsPerWeek = firstCount.item.count * PER_WEEK[period];
  } else if (weekdayCount(items, tokens) > 0) {
    sessionsPerWeek = weekdayCount(items, tokens);
  } else if (items.some((item) => item.kind === "period" && item.weekend) && items.some((item) => item.kind === "period" && item.period === "day")) {
    // "cuối tuần mỗi ngày 1 tiếng", "an hour a day at weekends": the two days of the weekend.
    sessionsPerWeek = 2;
  }

  const periods = items.filter((item) => item.kind === "period");
  const onlyPeriod = periods.length === 1 && periods[0]?.kind === "period" ? periods[0].period : undefined;
  let total = 0;
  for (const { item, index } of durations) {
    const hours = item.kind === "duration" ? item.hours : item.kind === "bare" ? item.value : 0;
    const usual = item.kind === "duration" ? item.usualPeriod : undefined;
    const period = periodOf(items, index) ?? usual ?? (durations.length === 1 && sessionsPerWeek === undefined ? onlyPeriod : undefined);
    // With sessions counted, "mỗi buổi" / "mỗi ngày" / nothing all mean each of those sessions.
    if (sessionsPerWeek !== undefined && (period === undefined || period === "session" || period === "day")) {
      total += hours * sessionsPerWeek;
    } else if (period === "session") {
      return { status: "none" };
    } else {
      total += hours * PER_WEEK[period ?? "week"];
    }
  }
  return result(total);
}
