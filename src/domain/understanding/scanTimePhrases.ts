import { readNumber } from "./readNumber.js";
import { CLAUSE_BREAK, type QuantityToken } from "./tokenizeQuantities.js";

export type Period = "day" | "week" | "month" | "year" | "session";

/** What a message about study time says, in order: amounts of time, counts, periods, weekdays, clause breaks. */
export type TimeItem =
  | { kind: "duration"; hours: number; start: number; end: number; usualPeriod?: Period }
  | { kind: "bare"; value: number; start: number; end: number }
  /** `each`: what is counted, when it is a day ("3 ngày", "2 tối"): then "mỗi ngày" after it is each of them. */
  | { kind: "count"; count: number; start: number; end: number; each?: Period }
  /** `weekend`: "cuối tuần", "weekends" — a week, or its two days when a per-day amount goes with it. */
  | { kind: "period"; period: Period; start: number; end: number; weekend?: boolean }
  | { kind: "weekday"; day: number; start: number; end: number }
  /** A time of day ("8 giờ tối", "từ 8 giờ"): not an amount, ignored. */
  | { kind: "clock"; start: number; end: number }
  /** Something this reader cannot turn into hours a week ("2 tuần 1 lần"): better to ask. */
  | { kind: "unreadable"; start: number; end: number }
  | { kind: "break"; start: number; end: number };

const HOUR_UNITS = new Set(["tieng", "gio", "h", "g", "hour", "hours", "hr", "hrs"]);
// "giờ" also names a time of day ("8 giờ tối"); "tiếng" is only ever an amount of time.
const CLOCK_UNITS = new Set(["gio", "h", "g"]);
const MINUTE_UNITS = new Set(["phut", "p", "ph", "min", "mins", "minute", "minutes", "m"]);
const COUNT_NOUNS = new Set([
  "buoi", "lan", "ngay", "bua", "toi", "dem", "hom", "sang", "chieu", "times", "days", "sessions", "evenings", "nights",
]);
const PERIOD_NOUNS: Record<string, Period> = {
  ngay: "day", hom: "day", bua: "day", toi: "day", dem: "day", sang: "day", chieu: "day", trua: "day", tuan: "week",
  thang: "month", nam: "year", buoi: "session", lan: "session", day: "day", night: "day", evening: "day",
  morning: "day", week: "week", month: "month", year: "year", session: "session", time: "session",
};
const PER_WORDS = new Set(["moi", "hang", "mot", "1", "per", "a", "an", "each", "every", "cac", "cu"]);
const STANDALONE_PERIODS: Record<string, Period> = {
  daily: "day", everyday: "day", nightly: "day", weekly: "week", weekend: "week", weekends: "week", monthly: "month",
};
const DAYPARTS = new Set(["sang", "trua", "chieu", "toi", "dem", "am", "pm"]);
// "từ 8 giờ", "lúc 8h", "from 8": what comes next is a time of day.
const CLOCK_MARKERS = new Set(["tu", "luc", "from", "at", "vao"]);
const RANGE_WORDS = new Set(["den", "toi", "hoac", "or", "to", "hay"]);
const TIMES: Record<string, number> = { once: 1, twice: 2, thrice: 3 };
const LITTLE = new Set(["chut", "it", "xiu", "ti", "lat", "little", "bit"]);
const WEEKDAY_WORDS: Record<string, number> = { hai: 2, ba: 3, tu: 4, nam: 5, sau: 6, bay: 7 };
// Parts of the day that, said alone, must be spelled so: "toi" is also "tôi" (I), "sang" also "sang" (over to).
const DAYPART_SPELLINGS: Record<string, string> = { toi: "tối", sang: "sáng", chieu: "chiều", trua: "trưa" };

type Found<T> = (T & { end: number }) | null;

/** Whether the period read from `start` to `end` is the weekend ("cuối tuần", "mỗi cuối tuần", "weekends"). */
function isWeekend(tokens: QuantityToken[], start: number, end: number): boolean {
  const words = tokens.slice(start, end).map((token) => token.key);
  return words.includes("weekend") || words.includes("weekends") || words.join(" ").includes("cuoi tuan");
}

function key(tokens: QuantityToken[], at: number): string {
  return tokens[at]?.key ?? "";
}

function isHedgeTam(tokens: QuantityToken[], at: number): boolean {
  const token = tokens[at];
  return token?.key === "tam" && (token.text === "tầm" || (!token.marked && /^\d/.test(key(tokens, at + 1))));
}

function readPeriod(tokens: QuantityToken[], at: number): Found<{ period: Period }> {
  const word = key(tokens, at);
  const standalone = STANDALONE_PERIODS[word];
  if (standalone) return { period: standalone, end: at + 1 };
  let next = PER_WORDS.has(word) ? at + 1 : at;
  if (key(tokens, next) === "buoi" && PERIOD_NOUNS[key(tokens, next + 1)] === "day") next += 1;
  if (key(tokens, next) === "cuoi" && key(tokens, next + 1) === "tuan") return { period: "week", end: next + 2 };
  const nounKey = key(tokens, next);
  const noun = PERIOD_NOUNS[nounKey];
  if (!noun) return null;
  let end = next + 1;
  const nao = key(tokens, end) === "nao" && key(tokens, end + 1) === "cung";
  if (nao) end += 2;
  if (next === at && !nao) {
    // A bare noun: "ngày 2 tiếng", "tối 1 tiếng" — but never "năm" (five), nor "toi" unless typed "tối" (not "tôi").
    if (noun === "year" || nounKey === "lan") return null;
    const daypart = DAYPART_SPELLINGS[nounKey];
    if (daypart && tokens[next]?.text !== daypart) return null;
  }
  // "mỗi tháng 1 lần", "tuần một buổi", "mỗi tuần sinh hoạt câu lạc bộ 1 buổi": after a period said earlier in the
  // clause, "1 lần" is once in it, not "each time".
  if ((word === "mot" || word === "1") && noun === "session" && next === at + 1 && periodSaidBefore(tokens, at)) return null;
  // "1 ngày một tuần": the first is a count of days, not a period.
  if ((word === "mot" || word === "1") && noun !== "week" && readPeriod(tokens, end) !== null) return null;
  return { period: noun, end };
}

/** Whether a period other than a session ("tuần", "tháng") was named earlier in the clause that `at` is in. */
function periodSaidBefore(tokens: QuantityToken[], at: number): boolean {
  for (let before = at - 1; before >= 0 && key(tokens, before) !== CLAUSE_BREAK; before--) {
    const period = PERIOD_NOUNS[key(tokens, before)];
    if (period && period !== "session") return true;
  }
  return false;
}

const ENGLISH_WEEKDAYS: Record<string, number> = {
  monday: 2, tuesday: 3, wednesday: 4, thursday: 5, friday: 6, saturday: 7, sunday: 8,
  mondays: 2, tuesdays: 3, wednesdays: 4, thursdays: 5, fridays: 6, saturdays: 7, sundays: 8,
};

function readWeekday(tokens: QuantityToken[], at: number): Found<{ day: number }> {
  const english = ENGLISH_WEEKDAYS[key(tokens, at)];
  if (english !== undefined) return { day: english, end: at + 1 };
  if (key(tokens, at) === "cn" || (key(tokens, at) === "chu" && key(tokens, at + 1) === "nhat")) {
    return { day: 8, end: at + (key(tokens, at) === "cn" ? 1 : 2) };
  }
  if (key(tokens, at) === "t" && /^[2-7]$/.test(key(tokens, at + 1))) return { day: Number(key(tokens, at + 1)), end: at + 2 };
  // "tối 2, 4, 6": the evenings of a list of weekdays, said by their numbers (not "tối 2 tiếng").
  if (DAYPARTS_BEFORE_DAYS.has(key(tokens, at)) && /^[2-7]$/.test(key(tokens, at + 1))) {
    const day = Number(key(tokens, at + 1));
    return moreWeekday(tokens, at + 2, day) ? { day, end: at + 2 } : null;
  }
  if (key(tokens, at) !== "thu") return null;
  const next = key(tokens, at + 1);
  const day = /^[2-7]$/.test(next) ? Number(next) : WEEKDAY_WORDS[next];
  return day === undefined ? null : { day, end: at + 2 };
}

const DAYPARTS_BEFORE_DAYS = new Set(["toi", "sang", "chieu", "trua"]);
const DAY_LIST_JOINERS = new Set([CLAUSE_BREAK, "va", "voi", "and"]);

/** The next day of a list after "thứ 2": a later weekday's number, not an amount ("thứ 2 4 tiếng" is 4 hours). */
function moreWeekday(tokens: QuantityToken[], at: number, after: number): { day: number; start: number; end: number } | null {
  let start = at;
  while (DAY_LIST_JOINERS.has(key(tokens, start)) && start < at + 2) start++;
  const word = key(tokens, start);
  const day = /^[2-7]$/.test(word) ? Number(word) : null;
  if (day === null || day <= after) return null;
  const following = key(tokens, start + 1);
  const laterDay = /^[2-7]$/.test(following) && Number(following) > day;
  if (HOUR_UNITS.has(following) || MINUTE_UNITS.has(following) || (/^\d/.test(following) && !laterDay) || following === "lan" || following === "buoi") return null;
  return { day, start, end: start + 1 };
}

/** A number, a range ("2-3", "2 đến 3", "hai ba"), with "rưỡi" or "and a half" after it. */
function readAmount(tokens: QuantityToken[], at: number): Found<{ value: number; ranged: boolean }> {
  if (key(tokens, at) === "khong" || isHedgeTam(tokens, at)) return null;
  const first = readNumber(tokens, at);
  if (!first) return null;
  const connector = RANGE_WORDS.has(key(tokens, first.end)) ? first.end + 1 : first.end;
  const second = key(tokens, connector) === "khong" ? null : readNumber(tokens, connector);
  const adjacent = connector === first.end;
  if (second && second.value > first.value && (!adjacent || second.value === first.value + 1)) {
    return { value: (first.value + second.value) / 2, ranged: true, end: second.end };
  }
  return { value: first.value, ranged: false, end: first.end };
}

function readUnitless(tokens: QuantityToken[], at: number): Found<{ hours: number }> {
  const word = key(tokens, at);
  if (HOUR_UNITS.has(word) && key(tokens, at + 1) === "ruoi") return { hours: 1.5, end: at + 2 };
  if ((word === "an" || word === "a") && HOUR_UNITS.has(key(tokens, at + 1))) return { hours: 1, end: at + 2 };
  if (word === "half" && HOUR_UNITS.has(key(tokens, at + 1))) return { hours: 0.5, end: at + 2 };
  if (word === "half" && (key(tokens, at + 1) === "an" || key(tokens, at + 1) === "a") && HOUR_UNITS.has(key(tokens, at + 2))) {
    return { hours: 0.5, end: at + 3 };
  }
  return null;
}

function readDuration(tokens: QuantityToken[], at: number): Found<{ item: TimeItem }> {
  const amount = readAmount(tokens, at);
  if (!amount) return null;
  let end = amount.end;
  const unit = key(tokens, end);
  if (MINUTE_UNITS.has(unit)) return { item: { kind: "duration", hours: amount.value / 60, start: at, end: end + 1 }, end: end + 1 };
  if (HOUR_UNITS.has(unit)) {
    end += 1;
    if (unit === "gio" && key(tokens, end) === "dong" && key(tokens, end + 1) === "ho") end += 2;
    let hours = amount.value;
    if (key(tokens, end) === "ruoi") {
      hours += 0.5;
      end += 1;
    } else if (key(tokens, end) === "and" && key(tokens, end + 1) === "a" && key(tokens, end + 2) === "half") {
      hours += 0.5;
      end += 3;
    } else {
      const minutes = readNumber(tokens, end);
      const minuteUnit = minutes ? MINUTE_UNITS.has(key(tokens, minutes.end)) : false;
      if (minutes && minutes.value < 60 && !readPeriod(tokens, end) && (minuteUnit || (CLOCK_UNITS.has(unit) && minutes.value >= 10))) {
        hours += minutes.value / 60;
        end = minutes.end + (minuteUnit ? 1 : 0);
      }
    }
    if (CLOCK_UNITS.has(unit) && !amount.ranged) {
      // The part of the day after it ("8 giờ tối") is left to be read as a period.
      if (DAYPARTS.has(key(tokens, end)) || CLOCK_MARKERS.has(key(tokens, at - 1))) {
        return { item: { kind: "clock", start: at, end }, end };
      }
    }
    return { item: { kind: "duration", hours, start: at, end }, end };
  }
  if (COUNT_NOUNS.has(unit)) {
    // "2 buổi tối": evening sessions, the part of the day says when, not how often.
    const after = unit === "buoi" && DAYPARTS.has(key(tokens, end + 1)) ? end + 2 : end + 1;
    const each = PERIOD_NOUNS[unit] === "day" ? ({ each: "day" } as const) : {};
    return { item: { kind: "count", count: amount.value, start: at, end: after, ...each }, end: after };
  }
  const periodNoun = PERIOD_NOUNS[unit];
  if (periodNoun === "week" || periodNoun === "month" || periodNoun === "year") {
    return { item: { kind: "unreadable", start: at, end: end + 1 }, end: end + 1 };
  }
  return { item: { kind: "bare", value: amount.value, start: at, end }, end };
}

/** A clock range: "từ 8 giờ đến 9 giờ", "8h-9h", "19h - 21h", "7 đến 9 giờ tối" → its length in hours. */
function readClockRange(tokens: QuantityToken[], at: number): Found<{ hours: number }> {
  const start = key(tokens, at) === "tu" || key(tokens, at) === "from" ? at + 1 : at;
  const first = readNumber(tokens, start);
  if (!first) return null;
  let end = first.end;
  const firstUnit = CLOCK_UNITS.has(key(tokens, end));
  if (firstUnit) end += 1;
  if (!RANGE_WORDS.has(key(tokens, end))) return null;
  const second = readNumber(tokens, end + 1);
  if (!second || !CLOCK_UNITS.has(key(tokens, second.end))) return null;
  end = second.end + 1;
  const daypart = DAYPARTS.has(key(tokens, end));
  if (!firstUnit && !daypart && first.value < 13) return null;
  if (first.value > 24 || second.value > 24) return null;
  const hours = second.value > first.value ? second.value - first.value : second.value + 12 - first.value;
  return hours > 0 && hours <= 12 ? { hours, end: daypart ? end + 1 : end } : null;
}

/** Reads a message about study time into items, left to right. */
export function scanTimePhrases(tokens: QuantityToken[]): TimeItem[] {
  const items: TimeItem[] = [];
  for (let at = 0; at < tokens.length; ) {
    if (key(tokens, at) === CLAUSE_BREAK) {
      items.push({ kind: "break", start: at, end: at + 1 });
      at += 1;
      continue;
    }
    const clock = readClockRange(tokens, at);
    if (clock) {
      items.push({ kind: "duration", hours: clock.hours, start: at, end: clock.end, usualPeriod: "day" });
      at = clock.end;
      continue;
    }
    // "ngày nào rảnh thì…", "bữa nào rảnh": on the days one is free, not every day ("tối nào em cũng…" is); no amount
    // a week can be read.
    if (PERIOD_NOUNS[key(tokens, at)] === "day" && key(tokens, at + 1) === "nao" && key(tokens, at + 2) !== "cung" && key(tokens, at + 3) !== "cung") {
      items.push({ kind: "unreadable", start: at, end: at + 2 });
      at += 2;
      continue;
    }
    // "một chút", "một ít", "a little": some time, no amount.
    if ((key(tokens, at) === "mot" || key(tokens, at) === "1" || key(tokens, at) === "a") && LITTLE.has(key(tokens, at + 1))) {
      items.push({ kind: "unreadable", start: at, end: at + 2 });
      at += 2;
      continue;
    }
    const times = TIMES[key(tokens, at)];
    if (times !== undefined) {
      items.push({ kind: "count", count: times, start: at, end: at + 1 });
      at += 1;
      continue;
    }
    const weekday = readWeekday(tokens, at);
    const period = weekday ? null : readPeriod(tokens, at);
    const unitless = weekday || period ? null : readUnitless(tokens, at);
    const duration = weekday || period || unitless ? null : readDuration(tokens, at);
    if (weekday) {
      items.push({ kind: "weekday", day: weekday.day, start: at, end: weekday.end });
      // "thứ 2 4 6", "thứ 2, 4 và 6": the days after the first, each later in the week.
      for (let day = weekday.day, next = moreWeekday(tokens, weekday.end, day); next; day = next.day, next = moreWeekday(tokens, next.end, day)) {
        items.push({ kind: "weekday", day: next.day, start: next.start, end: next.end });
        weekday.end = next.end;
      }
    } else if (period) items.push({ kind: "period", period: period.period, start: at, end: period.end, ...(isWeekend(tokens, at, period.end) ? { weekend: true } : {}) });
    else if (unitless) items.push({ kind: "duration", hours: unitless.hours, start: at, end: unitless.end });
    else if (duration) items.push(duration.item);
    at = weekday?.end ?? period?.end ?? unitless?.end ?? duration?.end ?? at + 1;
  }
  return items;
}
