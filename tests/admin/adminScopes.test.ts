import ExcelJS from "exceljs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminAccounts, branches, outboundMessages, registrations } from "../../db/schema.js";
import { AdminClient } from "../support/adminClient.js";
import { startAdminApp, type AdminApp } from "../support/adminApp.js";
import { seedRegistrations, seedWebHead } from "../support/seedRegistrations.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// Acceptance 1 of the admin issue: every read is cut to the caller's scope — lists, details, reports, CSV, XLSX,
// branches, QR codes and posters — and the JSON API's accounts, sessions, CSRF, throttling and audit log.
const token = "scope-test-token";
const password = "mat-khau-rat-dai-1";
let test: TestRuntime;
let app: AdminApp;
let national: AdminClient;
let province: AdminClient;
let commune: AdminClient;
let otherProvince: AdminClient;
const ids: Record<string, string | undefined> = {};

const phuTho = "06";
const dienBien = "21";
const vinhPhu = "00581";
const vinhYen = "00444";
const thanhNua = "01564";

async function xlsxRows(response: Response): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => (value === null || value === undefined ? "" : String(value)))));
  return rows;
}

const csvNames = (csv: string) =>
  csv
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n")
    .slice(1)
    .map((line) => line.split(",")[1]);

beforeAll(async () => {
  test = await startTestRuntime();
  app = await startAdminApp(test, { adminToken: token });
  const bootstrap = new AdminClient(app.url, token);
  for (const [email, role, provinceName, communeName] of [
    ["tw@hkh.vn", "national", undefined, undefined],
    ["phutho@hkh.vn", "province", "Phú Thọ", undefined],
    ["dienbien@hkh.vn", "province", "dien bien", undefined],
    ["vinhphu@hkh.vn", "commune", "Phú Thọ", "vinh phu"],
  ] as const) {
    const created = await bootstrap.json("/api/admin/accounts", { json: { email, password, role, province: provinceName, commune: communeName } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const db = test.runtime.database.db;
  const [vinhPhuBranch] = await db.select().from(branches).where(eq(branches.communeCode, vinhPhu)).limit(1);
  const [thanhNuaBranch] = await db.select().from(branches).where(eq(branches.communeCode, thanhNua)).limit(1);
  ids.vinhPhuBranch = vinhPhuBranch!.id;
  ids.thanhNuaBranch = thanhNuaBranch!.id;
  [ids.vinhPhuCitizen, ids.vinhYenCitizen, ids.thanhNuaCitizen, ids.vinhPhuNoBranch] = await seedRegistrations(db, [
    { name: "Nguyễn Thị Vĩnh Phú", provinceCode: phuTho, communeCode: vinhPhu, branchId: vinhPhuBranch!.id, phone: "+84912000001" },
    { name: "Trần Văn Vĩnh Yên", provinceCode: phuTho, communeCode: vinhYen, phone: "+84912000002", meets: false },
    { name: "Lò Văn Thanh Nưa", provinceCode: dienBien, communeCode: thanhNua, branchId: thanhNuaBranch!.id, phone: "+84912000003" },
    { name: "Hà Thị Chưa Chi Hội", provinceCode: phuTho, communeCode: vinhPhu, phone: "+84912000004" },
  ]);
  national = new AdminClient(app.url);
  province = new AdminClient(app.url);
  commune = new AdminClient(app.url);
  otherProvince = new AdminClient(app.url);
  expect(await national.login("TW@hkh.vn", password)).toBe(200);
  expect(await province.login("phutho@hkh.vn", password)).toBe(200);
  expect(await commune.login("vinhphu@hkh.vn", password)).toBe(200);
  expect(await otherProvince.login("dienbien@hkh.vn", password)).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await test?.close();
});

describe("scopes", () => {
  it("cuts registration lists and details to the caller's commune, province or the whole country", async () => {
    const names = async (client: AdminClient, query = "") =>
      ((await client.json<{ items: { fullName: string }[] }>(`/api/admin/registrations?year=2026${query}`)).body.items.map((item) => item.fullName).sort());
    expect(await names(commune)).toEqual(["Hà Thị Chưa Chi Hội", "Nguyễn Thị Vĩnh Phú"]);
    expect(await names(province)).toEqual(["Hà Thị Chưa Chi Hội", "Nguyễn Thị Vĩnh Phú", "Trần Văn Vĩnh Yên"]);
    expect(await names(otherProvince)).toEqual(["Lò Văn Thanh Nưa"]);
    expect(await names(national)).toHaveLength(4);
    // A filter narrows, never widens: the commune admin asking for Điện Biên gets nothing.
    expect(await names(commune, `&province=${dienBien}`)).toEqual([]);
    expect(await names(commune, `&commune=${thanhNua}`)).toEqual([]);
    expect(await names(national, "&q=vinh phu")).toEqual(["Nguyễn Thị Vĩnh Phú"]);
    expect(await names(national, "&branch=none")).toEqual(["Hà Thị Chưa Chi Hội", "Trần Văn Vĩnh Yên"]);
    expect((await commune.json(`/api/admin/registrations/${ids.thanhNuaCitizen}`)).status).toBe(404);
    expect((await otherProvince.json(`/api/admin/registrations/${ids.vinhPhuCitizen}`)).status).toBe(404);
    const detail = await commune.json<{ answers: { field: string; raw: string }[]; scoreByCriterion: unknown[] }>(`/api/admin/registrations/${ids.vinhPhuCitizen}`);
    expect(detail.status).toBe(200);
    expect(detail.body.answers.map((answer) => answer.field)).toContain("criteria.reading");
    expect(detail.body.scoreByCriterion).toEqual([
      { criterion: 1, points: 36, max: 40 },
      { criterion: 2, points: 36, max: 40 },
      { criterion: 3, points: 18, max: 20 },
    ]);
  });

  it("shows phone numbers to commune admins only", async () => {
    const [mine] = (await commune.json<{ items: Record<string, unknown>[] }>("/api/admin/registrations?q=Nguyen Thi")).body.items;
    expect(mine?.phone).toBe("+84912000001");
    const [theirs] = (await province.json<{ items: Record<string, unknown>[] }>("/api/admin/registrations?q=Nguyen Thi")).body.items;
    expect(theirs).not.toHaveProperty("phone");
    const detail = await national.json<{ answers: { field: string }[] }>(`/api/admin/registrations/${ids.vinhPhuCitizen}`);
    expect(detail.body).not.toHaveProperty("phone");
    expect(await (await province.request("/api/admin/exports/registrations.csv?year=2026")).text()).not.toContain("+8491200000");
    expect(await (await commune.request("/api/admin/exports/registrations.csv?year=2026")).text()).toContain("+84912000001");
  });

  it("cuts reports, CSV and XLSX exports to the scope", async () => {
    const totals = async (client: AdminClient) => (await client.json<{ totals: { registered: number } }>("/api/admin/reports?year=2026")).body.totals.registered;
    expect([await totals(commune), await totals(province), await totals(otherProvince), await totals(national)]).toEqual([2, 3, 1, 4]);
    const csv = await commune.request("/api/admin/exports/registrations.csv?year=2026");
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment/);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith("\uFEFFMã hồ sơ,Họ và tên,Giới tính,Năm sinh,Điện thoại,Tỉnh/thành,Xã/phường,Chi hội,Nhóm,Điểm tiêu chí 1")).toBe(true);
    expect(csvNames(text).sort()).toEqual(["Hà Thị Chưa Chi Hội", "Nguyễn Thị Vĩnh Phú"]);
    const rows = await xlsxRows(await otherProvince.request("/api/admin/exports/registrations.xlsx?year=2026"));
    expect(rows[0]).toContain("Đạt/Chưa đạt");
    expect(rows.slice(1).map((row) => row[1])).toEqual(["Lò Văn Thanh Nưa"]);
    expect(rows[1]).toContain("Đạt");
    const provinceRows = await xlsxRows(await province.request("/api/admin/exports/registrations.xlsx?year=2026"));
    expect(provinceRows.slice(1).map((row) => row[1]).sort()).toEqual(["Hà Thị Chưa Chi Hội", "Nguyễn Thị Vĩnh Phú", "Trần Văn Vĩnh Yên"]);
    expect(provinceRows.find((row) => row[1] === "Trần Văn Vĩnh Yên")).toContain("Chưa đạt");
  });

  it("cuts branch reads, QR codes and posters to the scope (404 outside it)", async () => {
    for (const path of ["", "/qr.png", "/poster.pdf"]) {
      expect((await commune.request(`/api/admin/branches/${ids.thanhNuaBranch}${path}`)).status).toBe(404);
      expect((await province.request(`/api/admin/branches/${ids.thanhNuaBranch}${path}`)).status).toBe(404);
      expect((await otherProvince.request(`/api/admin/branches/${ids.thanhNuaBranch}${path}`)).status).toBe(200);
    }
    const qr = await commune.request(`/api/admin/branches/${ids.vinhPhuBranch}/qr.png?channel=messenger`);
    expect(qr.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await qr.arrayBuffer()).subarray(1, 4).toString()).toBe("PNG");
    const poster = await commune.request(`/api/admin/branches/${ids.vinhPhuBranch}/poster.pdf`);
    const pdf = Buffer.from(await poster.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toMatch(/NotoSans/);
    const listed = (await commune.json<{ items: { commune: { code: string } }[] }>("/api/admin/branches")).body.items;
    expect(new Set(listed.map((branch) => branch.commune.code))).toEqual(new Set([vinhPhu]));
    const created = await commune.json("/api/admin/branches", { json: { province: "Điện Biên", commune: "Thanh Nưa", name: "Chi hội bản Xa" } });
    expect(created.status).toBe(403);
    expect((await commune.json(`/api/admin/branches/${ids.thanhNuaBranch}`, { method: "PATCH", json: { active: false } })).status).toBe(404);
  });

  it("lets a province admin create commune accounts in their province only; commune admins create none", async () => {
    expect((await province.json("/api/admin/accounts", { json: { email: "vinhyen@hkh.vn", password, role: "commune", commune: "Vĩnh Yên" } })).status).toBe(201);
    expect((await province.json("/api/admin/accounts", { json: { email: "x@hkh.vn", password, role: "commune", province: "Điện Biên", commune: "Thanh Nưa" } })).status).toBe(403);
    expect((await province.json("/api/admin/accounts", { json: { email: "y@hkh.vn", password, role: "province", province: "Phú Thọ" } })).status).toBe(403);
    expect((await commune.json("/api/admin/accounts", { json: { email: "z@hkh.vn", password, role: "commune", commune: "Vĩnh Phú" } })).status).toBe(403);
    expect((await national.json("/api/admin/accounts", { json: { email: "VINHYEN@hkh.vn", password, role: "commune", province: "Phú Thọ", commune: "Vĩnh Yên" } })).status).toBe(409);
    expect((await national.json("/api/admin/accounts", { json: { email: "short@hkh.vn", password: "short", role: "national" } })).status).toBe(400);
    const [stored] = await test.runtime.database.db.select().from(adminAccounts).where(eq(adminAccounts.email, "vinhyen@hkh.vn"));
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("places a registration from a commune without a branch, and the branch's heads get the card", async () => {
    const db = test.runtime.database.db;
    await seedWebHead(db, ids.vinhPhuBranch!, "head-web-1", "Chi hội trưởng Đông");
    expect((await commune.json(`/api/admin/registrations/${ids.vinhPhuNoBranch}/branch`, { json: { branchId: ids.thanhNuaBranch } })).status).toBe(404);
    expect((await otherProvince.json(`/api/admin/registrations/${ids.vinhPhuNoBranch}/branch`, { json: { branchId: ids.thanhNuaBranch } })).status).toBe(404);
    const placed = await commune.json<{ status: string; cardsSent: number }>(`/api/admin/registrations/${ids.vinhPhuNoBranch}/branch`, { json: { branchId: ids.vinhPhuBranch } });
    expect(placed).toEqual({ status: 200, body: expect.objectContaining({ status: "placed", cardsSent: 1 }) });
    const [stored] = await db.select().from(registrations).where(eq(registrations.id, ids.vinhPhuNoBranch!));
    expect(stored?.branchId).toBe(ids.vinhPhuBranch);
    const cards = await db.select().from(outboundMessages).where(eq(outboundMessages.userId, "head-web-1"));
    expect(cards).toHaveLength(1);
    const card = cards[0]!.message as { text: string; buttons: { title: string }[] };
    expect(card.text).toContain("Hà Thị Chưa Chi Hội");
    expect(card.buttons.map((button) => button.title)).toEqual(["Xác nhận", "Từ chối", "Cần bổ sung"]);
  });

  it("writes every change to the audit log, which only national admins read", async () => {
    const audit = await national.json<{ items: { action: string; actor: string }[] }>("/api/admin/audit");
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((item) => `${item.actor} ${item.action}`);
    expect(actions).toEqual(expect.arrayContaining(["ADMIN_TOKEN account.create", "phutho@hkh.vn account.create", "vinhphu@hkh.vn registration.place", "vinhphu@hkh.vn export.csv"]));
    expect((await province.json("/api/admin/audit")).status).toBe(403);
    expect(JSON.stringify(audit.body)).not.toContain("Hà Thị");
  });
});

describe("sessions and CSRF", () => {
  it("logs out, and a cookie alone cannot post a form-encoded or text body to the API", async () => {
    const client = new AdminClient(app.url);
    expect(await client.login("phutho@hkh.vn", password)).toBe(200);
    const forged = await client.request("/api/admin/branches", { body: "province=Phú Thọ&commune=Vĩnh Yên&name=Chi hội giả", contentType: "application/x-www-form-urlencoded" });
    expect(forged.status).toBe(403);
    const plain = await client.request("/api/admin/branches/import?dryRun=false", { body: "province,commune,name\nPhú Thọ,Vĩnh Yên,Chi hội giả", contentType: "text/plain" });
    expect(plain.status).toBe(403);
    const withHeader = await client.request("/api/admin/branches/import?dryRun=true", { body: "province,commune,name\nPhú Thọ,Vĩnh Yên,Chi hội thật", contentType: "text/plain", headers: { "x-csrf-token": client.csrfToken } });
    expect(withHeader.status).toBe(200);
    expect((await client.request("/api/admin/session", { method: "DELETE" })).status).toBe(204);
    expect((await client.request("/api/admin/registrations")).status).toBe(401);
  });

  it("refuses a console form without its CSRF token (403) and accepts it with one", async () => {
    const client = new AdminClient(app.url);
    expect(await client.login("vinhphu@hkh.vn", password)).toBe(200);
    const missing = await client.request("/admin/branches", { form: { province: "Phú Thọ", commune: "Vĩnh Phú", name: "Chi hội xóm Giữa" } });
    expect(missing.status).toBe(403);
    const wrong = await client.request("/admin/branches", { form: { _csrf: "0".repeat(64), province: "Phú Thọ", commune: "Vĩnh Phú", name: "Chi hội xóm Giữa" } });
    expect(wrong.status).toBe(403);
    const _csrf = await client.formToken("/admin/branches");
    const ok = await client.request("/admin/branches", { form: { _csrf, province: "Phú Thọ", commune: "Vĩnh Phú", name: "Chi hội xóm Giữa" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Đã tạo chi hội Chi hội xóm Giữa");
  });

  it("keeps a session across a second server on the same database, and ends it after the idle time", async () => {
    const client = new AdminClient(app.url);
    expect(await client.login("phutho@hkh.vn", password)).toBe(200);
    let now = Date.now();
    const second = await startAdminApp(test, { adminToken: token, clock: () => now });
    try {
      client.baseUrl = second.url;
      expect((await client.request("/api/admin/registrations")).status).toBe(200);
      now += test.config.ADMIN_SESSION_IDLE_MINUTES * 60_000 - 1000;
      expect((await client.request("/api/admin/registrations")).status).toBe(200);
      now += test.config.ADMIN_SESSION_IDLE_MINUTES * 60_000 + 1000;
      expect((await client.request("/api/admin/registrations")).status).toBe(401);
      const page = await client.request("/admin/registrations");
      expect(page.status).toBe(303);
      expect(page.headers.get("location")).toBe("/admin/login?next=%2Fadmin%2Fregistrations");
    } finally {
      await second.close();
    }
  });

  it("throttles wrong passwords per account and per IP with 429, on the API and the login form", async () => {
    const throttled = await startAdminApp(test, { adminToken: token, login: { maxPerAccount: 3, maxPerIp: 8, windowMs: 60_000 } });
    try {
      const client = new AdminClient(throttled.url);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++) statuses.push(await client.login("vinhphu@hkh.vn", "wrong password"));
      expect(statuses).toEqual([401, 401, 401, 429]);
      // The right password is refused too while the account is throttled: a guesser learns nothing.
      expect(await client.login("vinhphu@hkh.vn", password)).toBe(429);
      // Five failures so far from this IP (the refused one counts): three more, then the IP is throttled whatever the account.
      const others: number[] = [];
      for (const email of ["a@hkh.vn", "b@hkh.vn", "c@hkh.vn", "d@hkh.vn"]) others.push(await client.login(email, "wrong password"));
      expect(others).toEqual([401, 401, 401, 429]);
      const _csrf = await client.formToken("/admin/login");
      const form = await client.request("/admin/login", { form: { _csrf, email: "tw@hkh.vn", password } });
      expect(form.status).toBe(429);
    } finally {
      await throttled.close();
    }
  });
});
