import type { FlowCatalog } from "./flowDefinitions.js";
import type { Translate } from "../i18n.js";

export type ProvinceEntry = { code: string; name: string; fullName: string; type: string };
export type CommuneEntry = { code: string; name: string; fullName: string; type: string; provinceCode: string };
export type BranchEntry = { id: string; code: string; name: string; communeCode: string };
/** A commune of before July 2025 ("Xã Mai Lâm", "Huyện Đông Anh") and the new commune it is now (part of). */
export type FormerCommuneEntry = { communeCode: string; provinceCode: string; formerName: string; formerDistrict: string };

/** Read-only reference data the engine matches typed places against; a snapshot, refreshed by the runner. */
export interface PlaceDirectory {
  provinces(): readonly ProvinceEntry[];
  province(code: string): ProvinceEntry | undefined;
  communes(provinceCode: string): readonly CommuneEntry[];
  commune(code: string): CommuneEntry | undefined;
  branches(communeCode: string): readonly BranchEntry[];
  branchByCode(code: string): BranchEntry | undefined;
  branchById(id: string): BranchEntry | undefined;
  /** The old communes that are now in this province. */
  formerCommunes(provinceCode: string): readonly FormerCommuneEntry[];
}

/** Everything the pure engine may consult besides the session and the event. */
export type World = {
  now: number;
  /** The registration year (calendar year in Asia/Ho_Chi_Minh unless configured). */
  year: number;
  catalog: FlowCatalog;
  directory: PlaceDirectory;
  translate: Translate;
};

/** A PlaceDirectory over plain arrays (the runner builds one from the database). */
export function createPlaceDirectory(data: { provinces: ProvinceEntry[]; communes: CommuneEntry[]; branches: BranchEntry[]; formerCommunes?: FormerCommuneEntry[] }): PlaceDirectory {
  const formerByProvince = groupBy(data.formerCommunes ?? [], (f) => f.provinceCode);
  const provinceByCode = new Map(data.provinces.map((p) => [p.code, p]));
  const communeByCode = new Map(data.communes.map((c) => [c.code, c]));
  const communesByProvince = groupBy(data.communes, (c) => c.provinceCode);
  const branchesByCommune = groupBy(data.branches, (b) => b.communeCode);
  const branchByCode = new Map(data.branches.map((b) => [b.code.toUpperCase(), b]));
  const branchById = new Map(data.branches.map((b) => [b.id, b]));
  return {
    provinces: () => data.provinces,
    province: (code) => provinceByCode.get(code),
    communes: (provinceCode) => communesByProvince.get(provinceCode) ?? [],
    commune: (code) => communeByCode.get(code),
    branches: (communeCode) => branchesByCommune.get(communeCode) ?? [],
    branchByCode: (code) => branchByCode.get(code.toUpperCase()),
    branchById: (id) => branchById.get(id),
    formerCommunes: (provinceCode) => formerByProvince.get(provinceCode) ?? [],
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(item);
    groups.set(key(item), list);
  }
  return groups;
}
