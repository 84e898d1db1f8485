/** What an alias stands for: a folded official name, and whether the alias names it for certain. */
export type PlaceAlias = { key: string; exact: boolean };

// Well-known abbreviations of provinces and centrally-run cities (folded).
const ABBREVIATIONS: Record<string, string> = {
  hn: "ha noi", hcm: "ho chi minh", tphcm: "ho chi minh", hcmc: "ho chi minh", sg: "ho chi minh",
  saigon: "ho chi minh", "ho chi minh city": "ho chi minh", "hcm city": "ho chi minh", dn: "da nang", hp: "hai phong", ct: "can tho",
  "thua thien hue": "hue", "thu do": "ha noi",
};
// Provinces merged on 1 July 2025 (Resolution 202/2025/QH15), still what many people will type: old → new.
const MERGED: Record<string, string> = {
  "ha giang": "tuyen quang", "yen bai": "lao cai", "bac kan": "thai nguyen", "bac can": "thai nguyen", "vinh phuc": "phu tho",
  "hoa binh": "phu tho", "bac giang": "bac ninh", "thai binh": "hung yen", "hai duong": "hai phong",
  "ha nam": "ninh binh", "nam dinh": "ninh binh", "quang binh": "quang tri", "quang nam": "da nang",
  "kon tum": "quang ngai", "binh dinh": "gia lai", "ninh thuan": "khanh hoa", "dak nong": "lam dong",
  "binh thuan": "lam dong", "phu yen": "dak lak", "binh duong": "ho chi minh", "ba ria vung tau": "ho chi minh",
  "vung tau": "ho chi minh", "brvt": "ho chi minh", "binh phuoc": "dong nai", "long an": "tay ninh",
  "soc trang": "can tho", "hau giang": "can tho", "ben tre": "vinh long", "tra vinh": "vinh long",
  "tien giang": "dong thap", "bac lieu": "ca mau", "kien giang": "an giang",
  // Merged into Hà Nội in 2008, still said by those who grew up there.
  "ha tay": "ha noi",
};

// Cities and towns people name instead of their province ("tp Vinh", "Đà Lạt"): city → province since July 2025.
const CITIES: Record<string, string> = {
  vinh: "nghe an", "da lat": "lam dong", "bao loc": "lam dong", "phan thiet": "lam dong", "nha trang": "khanh hoa",
  "cam ranh": "khanh hoa", "phan rang": "khanh hoa", "buon ma thuot": "dak lak", "buon me thuot": "dak lak", bmt: "dak lak",
  "tuy hoa": "dak lak", pleiku: "gia lai", "quy nhon": "gia lai", "kon tum": "quang ngai", "hoi an": "da nang",
  "tam ky": "da nang", "dong hoi": "quang tri", "dong ha": "quang tri", "ha long": "quang ninh", "mong cai": "quang ninh",
  "cam pha": "quang ninh", "uong bi": "quang ninh", "viet tri": "phu tho", "sa pa": "lao cai", sapa: "lao cai",
  "dien bien phu": "dien bien", "bien hoa": "dong nai", "thu dau mot": "ho chi minh", "di an": "ho chi minh",
  "thu duc": "ho chi minh", "my tho": "dong thap", "cao lanh": "dong thap", "sa dec": "dong thap", "rach gia": "an giang",
  "long xuyen": "an giang", "chau doc": "an giang", "phu quoc": "an giang", "ha dong": "ha noi", "son tay": "ha noi",
  "tu son": "bac ninh", "hai duong city": "hai phong", "uong bi city": "quang ninh", "bac lieu city": "ca mau",
};

// The same names typed run together ("kontum", "nhatrang", "haiduong").
const compacted = (names: Record<string, string>) => Object.fromEntries(Object.entries(names).map(([name, key]) => [name.replace(/ /g, ""), key]));
const MERGED_COMPACT = compacted(MERGED);
const CITIES_COMPACT = compacted(CITIES);

/** The official province a folded abbreviation ("hcm", "sai gon") or pre-2025 province name ("binh duong") means. */
export function lookupPlaceAlias(foldedQuery: string): PlaceAlias | undefined {
  const compact = foldedQuery.replace(/ /g, "");
  const abbreviation = ABBREVIATIONS[foldedQuery] ?? ABBREVIATIONS[compact] ?? (compact === "saigon" ? "ho chi minh" : undefined);
  if (abbreviation) return { key: abbreviation, exact: true };
  const merged = MERGED[foldedQuery] ?? MERGED_COMPACT[compact];
  if (merged) return { key: merged, exact: false };
  const town = foldedQuery.replace(/^(?:tp|thanh pho|thi xa|tx|quan|huyen)\s+/, "");
  const city = CITIES[town] ?? CITIES_COMPACT[town.replace(/ /g, "")];
  return city ? { key: city, exact: false } : undefined;
}
