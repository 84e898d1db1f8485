import { foldKey } from "./foldKey.js";

export type HeadCommand = "list" | "stats";

const PHRASES: Record<HeadCommand, string[]> = {
  list: ["danh sach", "xem danh sach", "danh sach cho", "danh sach cho xac nhan", "list", "pending", "cho xac nhan"],
  stats: ["thong ke", "xem thong ke", "so lieu", "stats", "statistics", "bao cao"],
};
const LOOKUP = new Map<string, HeadCommand>((Object.entries(PHRASES) as [HeadCommand, string[]][]).flatMap(([command, list]) => list.map((phrase) => [phrase, command] as const)));

/** A branch head's command, when the whole message is one: "danh sách", "danh sach", "list", "thống kê", "stats". */
export function parseHeadCommand(input: string): HeadCommand | null {
  return LOOKUP.get(foldKey(input).replace(/ (a|nhe|nha|di)$/, "")) ?? null;
}
