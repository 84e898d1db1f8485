import { describe, expect, it } from "vitest";
import { branchCodeBase, nextBranchCode } from "../../src/domain/branchCode.js";
import { generateInviteCode } from "../../src/domain/inviteCode.js";
import { parseBranchClaim, parseBranchClaimRef } from "../../src/domain/understanding/index.js";

describe("branch codes", () => {
  it.each([
    ["Vĩnh Phú", "VPHU"],
    ["Việt Trì", "VTRI"],
    ["Hạ Long", "HLONG"],
    ["Mường Thanh", "MTHANH"],
    ["Đông Anh", "DANH"],
    ["Thanh Nưa", "TNUA"],
    ["Côn Đảo", "CDAO"],
  ])("start with the commune's initials and last word: %s → %s", (commune, base) => {
    expect(branchCodeBase(commune)).toBe(base);
  });

  it("take the next free number, always with digits", () => {
    expect(nextBranchCode("VPHU", ["VPHU01", "VPHU02"])).toBe("VPHU03");
    expect(nextBranchCode("VPHU", [])).toBe("VPHU01");
    expect(nextBranchCode("TNUA", ["TNUA01", "TNUA09", "TNUABC"])).toBe("TNUA10");
  });
});

describe("invite codes", () => {
  it("are 8 unambiguous characters with a letter and a digit", () => {
    const codes = Array.from({ length: 200 }, () => generateInviteCode());
    for (const code of codes) expect(code).toMatch(/^(?=.*\d)(?=.*[A-Z])[A-HJKMNP-Z2-9]{8}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("are read from what a head types, in any case, with or without the space or diacritics", () => {
    for (const text of ["chihoi K7M3QX9P", "chi hội k7m3qx9p", "CHIHOI k7m3qx9p", "Chi Hoi: K7M3QX9P", "chihoiK7M3QX9P"]) expect(parseBranchClaim(text)).toBe("K7M3QX9P");
    expect(parseBranchClaim("chi hội trưởng")).toBeNull();
    expect(parseBranchClaim("tôi là chi hội trưởng K7M3QX9P")).toBeNull();
    expect(parseBranchClaimRef("chihoi_K7M3QX9P")).toBe("K7M3QX9P");
    expect(parseBranchClaimRef("VPHU01")).toBeNull();
  });
});
