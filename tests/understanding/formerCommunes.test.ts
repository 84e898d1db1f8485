import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { matchFormerCommune, matchFormerCommuneWithTypos, matchFormerDistrict, placeKey, searchPlaces } from "../../src/domain/understanding/index.js";
import { resolveFormerCommunes } from "../../src/persistence/formerCommunes.js";
import { parseAdministrativeUnits } from "../../src/persistence/parseUnitsCsv.js";

// Acceptance 2 of issue 11: the 10,353 communes of before July 2025 resolved onto the 3,321 new ones, and old names
// understood with and without diacritics, with or without the old district; a name that fits several asks which.
const dir = new URL("../fixtures/admin-units-2025/", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, dir), "utf8");
const units = parseAdministrativeUnits({ name: "provinces.csv", text: read("provinces.csv") }, { name: "communes.csv", text: read("communes.csv") });
const { rows, unmatched } = resolveFormerCommunes(read("former-communes.csv"), units);
const hanoi = units.provinces.find((p) => p.name === "Hà Nội")!.code;
const communeName = (code: string) => units.communes.find((c) => c.code === code)?.fullName.split(",")[0];
const inProvince = (code: string) => rows.filter((row) => row.provinceCode === code);

describe("former-communes.csv", () => {
  it("resolves almost every old commune on folded names and reports the rest", () => {
    expect(rows.length + unmatched.length).toBe(10_353);
    expect(rows.length).toBeGreaterThan(10_200);
    // The rows that do not resolve are listed with the reason, never dropped silently.
    for (const row of unmatched) expect(["province", "commune"]).toContain(row.reason);
    expect(unmatched.length).toBeLessThan(150);
  });

  it("finds 'xã Mai Lâm' of Đông Anh in Xã Đông Anh, with or without marks and district", () => {
    for (const typed of ["xã Mai Lâm", "mai lam", "Mai Lâm, huyện Đông Anh", "xa mai lam dong anh cu", "Mai Lâm (Đông Anh)"]) {
      const found = matchFormerCommune(typed, inProvince(hanoi));
      expect(found.length, typed).toBeGreaterThan(0);
      expect([...new Set(found.map((entry) => communeName(entry.communeCode)))], typed).toEqual(["Xã Đông Anh"]);
    }
  });

  it("a name that was used in two districts asks which; naming the district decides", () => {
    const byName = new Map<string, Set<string>>();
    for (const row of inProvince(hanoi)) {
      const key = `${row.formerName}`;
      byName.set(key, (byName.get(key) ?? new Set()).add(row.formerDistrict));
    }
    const [name, districts] = [...byName.entries()].find(([, set]) => set.size >= 2)!;
    const both = matchFormerCommune(name, inProvince(hanoi));
    expect(new Set(both.map((entry) => entry.formerDistrict)).size).toBeGreaterThanOrEqual(2);
    const district = [...districts][0]!;
    const one = matchFormerCommune(`${name}, ${district}`, inProvince(hanoi));
    expect(new Set(one.map((entry) => entry.formerDistrict))).toEqual(new Set([district]));
  });

  it("an old name typed with a typo finds it, never another, unless a commune of today is as close (then that one)", () => {
    let tried = 0;
    let found = 0;
    const wrong: string[] = [];
    // Every 7th old name of six letters or more, one letter doubled ("mai lamm"), searched in its province.
    for (let index = 0; index < rows.length; index += 7) {
      const row = rows[index]!;
      const key = placeKey(row.formerName);
      if (key.length < 6) continue;
      const at = key.length - 2;
      const typed = `${key.slice(0, at)}${key[at]}${key.slice(at)}`;
      const communes = units.communes.filter((c) => c.provinceCode === row.provinceCode).map((c) => ({ id: c.code, name: c.name, type: c.type }));
      if ((searchPlaces(typed, communes, 1)[0]?.score ?? 0) >= 0.85) continue; // the step offers the current commune
      tried++;
      const hits = matchFormerCommuneWithTypos(`xã ${typed}`, inProvince(row.provinceCode));
      if (hits.length === 0) continue;
      if (hits.every((hit) => placeKey(hit.formerName) === key)) found++;
      else wrong.push(`${typed} → ${hits[0]!.formerName}`);
    }
    expect(tried).toBeGreaterThan(800);
    expect(wrong).toEqual([]);
    expect(found / tried).toBeGreaterThan(0.95);
    // Short names are not guessed at: one letter there is another place.
    expect(matchFormerCommuneWithTypos("xa an haii", inProvince(hanoi))).toEqual([]);
    expect(matchFormerCommuneWithTypos("mai lamm, huyen dong anh", inProvince(hanoi)).map((entry) => entry.formerName)).toEqual(["Xã Mai Lâm"]);
  });

  it("says nothing for text that is not only an old place name", () => {
    expect(matchFormerCommune("tôi không nhớ xã Mai Lâm hay gì", inProvince(hanoi))).toEqual([]);
    expect(matchFormerCommune("Đông Anh", inProvince(hanoi)).every((entry) => entry.formerName.includes("Đông Anh"))).toBe(true);
  });

  it("an old city named at the commune question gives the new communes it became; at the province question, its province", () => {
    const ngheAn = units.provinces.find((p) => p.name === "Nghệ An")!.code;
    const vinh = matchFormerDistrict("tp Vinh", inProvince(ngheAn));
    expect(vinh.length).toBeGreaterThan(5);
    expect(new Set(vinh.map((entry) => entry.formerDistrict))).toEqual(new Set(["Thành phố Vinh"]));
    expect(matchFormerDistrict("thành phố vinh ạ", inProvince(ngheAn))).toHaveLength(vinh.length);
    const provinces = units.provinces.map((p) => ({ id: p.code, name: p.name, type: p.type }));
    expect(searchPlaces("tp vinh", provinces)[0]?.id).toBe(ngheAn);
    expect(searchPlaces("Đà Lạt", provinces)[0]?.id).toBe(units.provinces.find((p) => p.name === "Lâm Đồng")!.code);
  });
});
