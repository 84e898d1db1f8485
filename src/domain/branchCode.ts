import { foldKey } from "./understanding/index.js";

/** The letters a branch code starts with: initials of the commune's leading words and its last word ("Vĩnh Phú" → "VPHU"). */
export function branchCodeBase(communeName: string): string {
  const words = foldKey(communeName)
    .split(" ")
    .map((word) => word.replace(/[^a-z0-9]/g, ""))
    .filter(Boolean);
  const last = words.at(-1) ?? "";
  const base = (words.slice(0, -1).map((word) => word[0]).join("") + last).toUpperCase().slice(0, 6);
  return base.length >= 2 ? base : `CH${base}`;
}

/** The next free code for a base: "VPHU" with VPHU01 and VPHU02 taken → "VPHU03". Always carries digits, as "dk <code>" expects. */
export function nextBranchCode(base: string, takenCodes: readonly string[]): string {
  const pattern = new RegExp(`^${base}(\\d+)$`);
  const numbers = takenCodes.map((code) => pattern.exec(code.toUpperCase())?.[1]).filter((digits): digits is string => digits !== undefined).map(Number);
  const next = Math.max(0, ...numbers) + 1;
  return `${base}${String(next).padStart(2, "0")}`;
}
