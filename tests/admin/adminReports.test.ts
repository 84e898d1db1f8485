import ExcelJS from "exceljs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branches } from "../../db/schema.js";
import { AdminClient } from "../support/adminClient.js";
import { startAdminApp, type AdminApp } from "../support/adminApp.js";
import { seedRegistrations, type SeededRegistration } from "../support/seedRegistrations.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// Acceptance 4: a population shaped like Điện Biên's 2020–2021 pilot (1,063 people: 318 farmers and workers,
// 30 traders, 715 officials; 98.96% met the criteria, farmers failed most) gives the same counts per group in the
// report and in the XLSX. Also the branch CSV import's dry run and the escalation list.
const token = "reports-test-token";
let test: TestRuntime;
let app: AdminApp;
let admin: AdminClient;

const pilot = [
  { group: "resident", people: 318, failing: 11 },
  { group: "worker", people: 30, failing: 0 },
  { group: "official", people: 715, failing: 0 },
];

beforeAll(async () => {
  test = await startTestRuntime();
  app = await startAdminApp(test, { adminToken: token });
  admin = new AdminClient(app.url, token);
  const db = test.runtime.database.db;
  const [thanhNua] = await db.select().from(branches).where(eq(branches.communeCode, "01564")).limit(1);
  const population: SeededRegistration[] = [];
  for (const { group, people, failing } of pilot) {
    for (let index = 0; index < people; index++) {
      population.push({
        name: `Người ${group} ${index}`,
        provinceCode: "21",
        communeCode: index % 2 === 0 ? "01564" : "00601",
        branchId: index % 2 === 0 ? thanhNua!.id : null,
        group,
        meets: index >= failing,
        status: index % 3 === 0 ? "confirmed" : "submitted",
      });
    }
  }
  population.push({ name: "Người đang khai", provinceCode: "21", communeCode: "00601", status: "draft", group: "resident" });
  population.push({ name: "Người tỉnh khác", provinceCode: "06", communeCode: "00581", group: "official" });
  await seedRegistrations(db, population);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await test?.close();
});

describe("reports", () => {
  it("shows the pilot's table for the province: the same counts per group as the population", async () => {
    expect((await admin.json("/api/admin/accounts", { json: { email: "dienbien@hkh.vn", password: "mat-khau-dien-bien", role: "province", province: "Điện Biên" } })).status).toBe(201);
    const province = new AdminClient(app.url);
    expect(await province.login("dienbien@hkh.vn", "mat-khau-dien-bien")).toBe(200);
    const { body: report } = await province.json<{
      totals: { registered: number; submitted: number; meets: number; notMeets: number; confirmed: number; awaiting: number; meetingRate: number };
      byGroup: { group: string; submitted: number; meets: number; notMeets: number; meetingRate: number }[];
      byCommune: { commune: { code: string }; registered: number }[];
      byBranch: { branch: { code: string } | null; registered: number }[];
    }>("/api/admin/reports?year=2026");
    expect(report.totals).toMatchObject({ registered: 1064, submitted: 1063, meets: 1052, notMeets: 11 });
    expect(report.totals.meetingRate).toBeCloseTo(1052 / 1063, 6);
    expect((report.totals.meetingRate * 100).toFixed(2)).toBe("98.97");
    expect(report.totals.confirmed + report.totals.awaiting).toBe(1063);
    const byGroup = Object.fromEntries(report.byGroup.map((row) => [row.group, row]));
    for (const { group, people, failing } of pilot) {
      expect(byGroup[group]).toMatchObject({ submitted: people, meets: people - failing, notMeets: failing });
    }
    expect(byGroup.resident!.meetingRate).toBeCloseTo(307 / 318, 6);
    expect(report.byCommune.map((row) => row.commune.code).sort()).toEqual(["00601", "01564"]);
    expect(report.byBranch.reduce((sum, row) => sum + row.registered, 0)).toBe(1064);
    expect(report.byBranch.find((row) => row.branch === null)?.registered).toBe(532);

    const xlsx = await province.request("/api/admin/exports/registrations.xlsx?year=2026&status=");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const rows: string[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ""))));
    const header = rows[0]!;
    const [groupColumn, resultColumn] = [header.indexOf("Nhóm"), header.indexOf("Đạt/Chưa đạt")];
    const counted = new Map<string, number>();
    for (const row of rows.slice(1)) {
      const key = `${row[groupColumn]}|${row[resultColumn] ?? ""}`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(counted)).toEqual({
      "Người dân trong xã|Đạt": 307,
      "Người dân trong xã|Chưa đạt": 11,
      "Người dân trong xã|": 1,
      "Người lao động|Đạt": 30,
      "Cán bộ, công chức|Đạt": 715,
    });
    const page = await (await province.request("/admin/reports?year=2026")).text();
    expect(page).toContain("<svg");
    expect(page).toMatch(/<td>307<\/td><td>11<\/td>/);
  });

  it("lists registrations waiting longer than ESCALATE_AFTER_DAYS per commune", async () => {
    const { body } = await admin.json<{ afterDays: number; communes: { commune: { code: string }; items: { daysWaiting: number }[] }[] }>("/api/admin/escalations");
    expect(body.afterDays).toBe(7);
    expect(body.communes.map((group) => group.commune.code).sort()).toEqual(["00581", "00601", "01564"]);
    expect(body.communes.flatMap((group) => group.items).every((item) => item.daysWaiting >= 7)).toBe(true);
  });
});

describe("branch CSV import", () => {
  it("says in a dry run what it will create, what is a duplicate and which places it cannot find; then creates exactly that", async () => {
    const csv = [
      "Tỉnh/thành;Xã/phường;Tên chi hội",
      "Điện Biên;Tuần Giáo;Chi hội khuyến học bản Mới",
      "dien bien;tuan giao;chi hoi khuyen hoc ban moi",
      "Điện Biên;Thanh Nưa;Chi hội khuyến học bản Co Mỵ",
      "Điện Biên;Tuần Giao Xyz;Chi hội bản Lạ",
      "Phú Thọ;Vĩnh Phú;Chi hội thôn Mới",
      ";;",
    ].join("\n");
    const dry = await admin.json<{ dryRun: boolean; lines: { line: number; status: string; candidates?: { name: string }[] }[]; counts: Record<string, number> }>("/api/admin/branches/import", {
      body: csv,
      contentType: "text/csv",
    });
    expect(dry.status).toBe(200);
    expect(dry.body.lines.map((line) => `${line.line}:${line.status}`)).toEqual(["2:create", "3:duplicate", "4:create", "5:placeNotFound", "6:create", "7:invalid"]);
    expect(dry.body.lines[3]?.candidates?.map((candidate) => candidate.name)).toContain("Xã Tuần Giáo, Tỉnh Điện Biên");
    const before = await test.runtime.database.db.select().from(branches);
    expect(before.some((branch) => branch.name === "Chi hội khuyến học bản Mới")).toBe(false);

    const real = await admin.json<{ lines: { status: string; code?: string }[]; counts: Record<string, number> }>("/api/admin/branches/import?dryRun=false", { json: { csv } });
    expect(real.status).toBe(201);
    expect(real.body.counts).toMatchObject({ created: 3, duplicate: 1, placeNotFound: 1, invalid: 1 });
    expect(real.body.lines.filter((line) => line.status === "created").map((line) => line.code)).toEqual(["TGIAO01", "TNUA03", "VPHU03"]);
    const again = await admin.json<{ counts: Record<string, number> }>("/api/admin/branches/import", { json: { csv } });
    expect(again.body.counts).toMatchObject({ create: 0, duplicate: 4 });
  });
});
