import { describe, expect, it } from "vitest";
import { lookupPlaceAlias, searchPlaces, type PlaceCandidate } from "../../src/domain/understanding/index.js";

const communes: PlaceCandidate[] = [
  { id: "mai-lam", name: "Mai Lâm", type: "xa" },
  { id: "mai-chau", name: "Mai Châu", type: "xa" },
  { id: "dong-anh", name: "Đông Anh", type: "commune" },
  { id: "tan-an-ward", name: "Tân An", type: "ward" },
  { id: "tan-an-commune", name: "Tân An", type: "commune" },
  { id: "tan-thanh", name: "Tân Thành", type: "ward" },
  { id: "tan-thanh2", name: "Tân Thạnh", type: "commune" },
  { id: "ben-thanh", name: "Bến Thành", type: "phuong" },
  { id: "phu-quoc", name: "Phú Quốc", type: "dac-khu" },
];
const provinces: PlaceCandidate[] = [
  { id: "01", name: "Hà Nội", type: "thanh-pho" },
  { id: "30", name: "Hồ Chí Minh", type: "city" },
  { id: "12", name: "Đà Nẵng", type: "city" },
  { id: "05", name: "Hải Phòng", type: "city" },
  { id: "32", name: "Cần Thơ", type: "city" },
  { id: "17", name: "Hà Tĩnh", type: "tinh" },
  { id: "27", name: "Đắk Lắk", type: "province" },
  { id: "22", name: "Đồng Nai", type: "province" },
];
const top = (input: string, places: PlaceCandidate[]) => searchPlaces(input, places)[0];

describe("searchPlaces", () => {
  it("ranks the name said after 'xã' above one said after 'huyện' in an old address", () => {
    expect(top("em ở xã mai lâm huyện đông anh", communes)?.id).toBe("mai-lam");
    expect(top("thôn 3 huyện đông anh, xã mai lâm", communes)?.id).toBe("mai-lam");
  });

  it("matches without diacritics and with prefixes, exactly", () => {
    expect(top("mai lam", communes)).toEqual({ id: "mai-lam", score: 1, exact: true });
    for (const input of ["Xã Mai Lâm", "xa mai lam", "MAI LÂM"]) expect(top(input, communes)).toMatchObject({ id: "mai-lam", exact: true });
    expect(top("p. ben thanh", communes)).toMatchObject({ id: "ben-thanh", exact: true });
    expect(top("đặc khu phú quốc", communes)).toMatchObject({ id: "phu-quoc", exact: true });
    expect(top("tỉnh hà tĩnh", provinces)).toMatchObject({ id: "17", exact: true });
  });

  it("offers typos, not exact, best first", () => {
    const hits = searchPlaces("mai lamm", communes);
    expect(hits[0]).toMatchObject({ id: "mai-lam", exact: false });
    expect(hits[0]?.score).toBeGreaterThan(0.8);
    expect(top("đắc lắc", provinces)).toMatchObject({ id: "27", exact: false });
    // Among other words too, each word beginning as the name's does ("thanh hoá" is no slip for "khánh hoà").
    expect(top("em ở đắc lắc", provinces)).toMatchObject({ id: "27", exact: false });
    expect(top("nhà em ở mai lamm ạ", communes)).toMatchObject({ id: "mai-lam", exact: false });
    expect(searchPlaces("quê tôi là thanh hóa", [...provinces, { id: "14", name: "Khánh Hòa", type: "province" }])).toEqual([]);
    // The words around the place are taken off ("em ở …", "… ạ"), unless they were the name's own ("o dien" is Ô Diên).
    expect(top("em ở Hà Tĩnh ạ", provinces)).toMatchObject({ id: "17", exact: true });
    expect(top("o dien", [...communes, { id: "o-dien", name: "Ô Diên", type: "xa" }])).toMatchObject({ id: "o-dien", exact: true });
  });

  it("does not take two slips in one short word for a typo: another word is meant", () => {
    const lamDong = [...provinces, { id: "29", name: "Lâm Đồng", type: "province" }];
    expect(searchPlaces("làm ruộng", lamDong)).toEqual([]);
    expect(searchPlaces("muong phang", [{ id: "muong-thanh", name: "Mường Thanh", type: "ward" }])).toEqual([]);
    expect(top("lam dongg", lamDong)).toMatchObject({ id: "29", exact: false });
  });

  it("knows the well-known abbreviations", () => {
    expect(top("hn", provinces)).toMatchObject({ id: "01", exact: true });
    expect(top("ha noi", provinces)).toMatchObject({ id: "01", exact: true });
    for (const input of ["tp hcm", "hcm", "TP.HCM", "sai gon", "sg"]) expect(top(input, provinces)).toMatchObject({ id: "30", exact: true });
    expect(top("dn", provinces)).toMatchObject({ id: "12", exact: true });
    expect(top("hp", provinces)).toMatchObject({ id: "05", exact: true });
    expect(top("ct", provinces)).toMatchObject({ id: "32", exact: true });
  });

  it("returns every place of the same name, so the person can choose", () => {
    const hits = searchPlaces("tan an", communes);
    expect(hits.filter((h) => h.exact).map((h) => h.id).sort()).toEqual(["tan-an-commune", "tan-an-ward"]);
    expect(top("phường tân an", communes)?.id).toBe("tan-an-ward");
  });

  it("ranks the spelling typed with diacritics first", () => {
    expect(top("Tân Thạnh", communes)?.id).toBe("tan-thanh2");
    expect(top("Tân Thành", communes)?.id).toBe("tan-thanh");
  });

  it("sorts by score, respects the limit and returns nothing for nonsense", () => {
    const hits = searchPlaces("mai", communes, 1);
    expect(hits).toHaveLength(1);
    expect(searchPlaces("mai", communes).map((h) => h.id)).toEqual(expect.arrayContaining(["mai-lam", "mai-chau"]));
    const scores = searchPlaces("tan thanh", communes).map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(searchPlaces("qwerty", communes)).toEqual([]);
    expect(searchPlaces("", communes)).toEqual([]);
  });
});

describe("lookupPlaceAlias", () => {
  it("maps abbreviations exactly and pre-2025 provinces to their new province", () => {
    expect(lookupPlaceAlias("tphcm")).toEqual({ key: "ho chi minh", exact: true });
    expect(lookupPlaceAlias("binh duong")).toEqual({ key: "ho chi minh", exact: false });
    expect(lookupPlaceAlias("ha noi")).toBeUndefined();
  });
});
