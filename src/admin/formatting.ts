const dayFormat = new Intl.DateTimeFormat("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric" });
const timeFormat = new Intl.DateTimeFormat("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });

/** "02/03/2026": a day as people in Vietnam write it, in Asia/Ho_Chi_Minh. */
export const formatDay = (at: Date): string => dayFormat.format(at);

/** "08:05 02/03/2026". */
export const formatTime = (at: Date): string => timeFormat.format(at);

/** "98,96%". */
export const formatRate = (rate: number): string => `${(rate * 100).toLocaleString("vi-VN", { maximumFractionDigits: 2 })}%`;
