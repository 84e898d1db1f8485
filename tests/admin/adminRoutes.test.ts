import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branches, branchInvites } from "../../db/schema.js";
import { startAdminApp, type AdminApp } from "../support/adminApp.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

const adminToken = "s3cret-admin-token";
let test: TestRuntime;
let app: AdminApp;
let baseUrl: string;
let invalidations = 0;
const now = Date.parse("2026-03-02T01:00:00Z");

const listen = (token: string | undefined) => startAdminApp(test, { adminToken: token, clock: () => now, onBranchesChanged: () => invalidations++ });

const call = (path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) =>
  fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? adminToken}` }),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

beforeAll(async () => {
  test = await startTestRuntime();
  app = await listen(adminToken);
  baseUrl = `${app.url}/api/admin`;
});
afterAll(async () => {
  await app?.close();
  await test?.close();
});

describe("the admin API", () => {
  it("refuses a missing or wrong bearer token with 401, and any bearer token when ADMIN_TOKEN is unset", async () => {
    expect((await call("/branches", { body: {}, token: null })).status).toBe(401);
    const wrong = await call("/branches", { body: {}, token: "s3cret-admin-tokem" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/Bearer/);
    const off = await listen(undefined);
    const response = await fetch(`${off.url}/api/admin/branches/00000000-0000-0000-0000-000000000000`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(response.status).toBe(401);
    await off.close();
  });

  it("creates a branch from names typed without diacritics, with a code from the commune's name and a one-time invite", async () => {
    const before = invalidations;
    const response = await call("/branches", { body: { province: "phu tho", commune: "VINH PHU", name: "Chi hội khuyến học thôn Bắc" } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: "VPHU03", name: "Chi hội khuyến học thôn Bắc", commune: { code: "00581" }, province: { code: "06" } });
    expect(body.inviteCode).toMatch(/^[A-Z2-9]{8}$/);
    expect(body.inviteRef).toBe(`chihoi_${String(body.inviteCode)}`);
    expect(Date.parse(String(body.inviteExpiresAt)) - now).toBe(14 * 24 * 3600_000);
    expect(invalidations).toBe(before + 1);
    const [stored] = await test.runtime.database.db.select().from(branches).where(eq(branches.id, String(body.id)));
    expect(stored).toMatchObject({ code: "VPHU03", communeCode: "00581" });
  });

  it("answers 422 with candidates when a name is not an exact match, and 409 for a branch that exists", async () => {
    const commune = await call("/branches", { body: { province: "Phú Thọ", commune: "vinh", name: "Chi hội thôn Nam" } });
    expect(commune.status).toBe(422);
    const body = (await commune.json()) as { field: string; candidates: { code: string; name: string }[] };
    expect(body.field).toBe("commune");
    expect(body.candidates.map((candidate) => candidate.name)).toEqual(expect.arrayContaining(["Xã Vĩnh Phú, Tỉnh Phú Thọ"]));
    const province = await call("/branches", { body: { province: "Phu Thoo Xyz", commune: "Vĩnh Phú", name: "Chi hội thôn Nam" } });
    expect(province.status).toBe(422);
    expect(((await province.json()) as { field: string }).field).toBe("province");
    const duplicate = await call("/branches", { body: { province: "Phú Thọ", commune: "Vĩnh Phú", name: "chi hoi khuyen hoc thon dong" } });
    expect(duplicate.status).toBe(409);
    expect(((await duplicate.json()) as { code: string }).code).toBe("VPHU01");
    const invalid = await call("/branches", { body: { province: "Phú Thọ" } });
    expect(invalid.status).toBe(400);
  });

  it("issues a new invite code and shows the branch with its heads and invites", async () => {
    const created = (await (await call("/branches", { body: { province: "Điện Biên", commune: "Thanh Nưa", name: "Chi hội khuyến học bản Mới" } })).json()) as { id: string; code: string; inviteCode: string };
    expect(created.code).toBe("TNUA03");
    const invite = await call(`/branches/${created.id}/invites`, { method: "POST" });
    expect(invite.status).toBe(201);
    const { inviteCode } = (await invite.json()) as { inviteCode: string };
    expect(inviteCode).not.toBe(created.inviteCode);
    const codes = await test.runtime.database.db.select({ code: branchInvites.code }).from(branchInvites).where(eq(branchInvites.branchId, created.id));
    expect(codes.map((row) => row.code).sort()).toEqual([created.inviteCode, inviteCode].sort());
    const details = await call(`/branches/${created.id}`);
    expect(details.status).toBe(200);
    expect(await details.json()).toMatchObject({ id: created.id, code: "TNUA03", heads: [], invites: expect.any(Array) });
    expect((await call("/branches/not-a-uuid")).status).toBe(404);
    expect((await call("/branches/00000000-0000-0000-0000-000000000000/invites", { method: "POST" })).status).toBe(404);
  });
});
