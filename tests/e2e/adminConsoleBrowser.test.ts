import { mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser.js";
import type { FakeGraphApi } from "../fakes/fakeGraphApi.js";
import { messengerEvents, postWebhook, signedMessengerWebhook } from "../fakes/signWebhooks.js";
import { AdminClient } from "../support/adminClient.js";
import { settled, startFakePlatformWorld, testPage, type FakePlatformWorld } from "../support/platformHelpers.js";
import { startServerProcess, WebchatClient, type ServerProcess } from "../support/serverProcess.js";

// Acceptance 2 and 3 of the admin issue in a real browser on a phone-sized screen: log in, find a registration,
// place a no-branch registration in a branch (the head gets the card on Messenger), download the XLSX and read it
// back, download a poster; every page screenshotted, nothing a citizen typed runs as HTML, and the session
// survives a server restart.
const adminToken = "console-e2e-token";
const password = "mat-khau-xa-vinh-yen";
const screenshots = process.env.SCREENSHOT_DIR ?? join(tmpdir(), "lca-admin-screens");
const headPsid = "7100000000000042";
let broadcastPath = "";
const xss = { village: `Tổ 5 <script>window.__pwned = 1</script>`, name: `<script>alert(1)</script> Nguyễn Văn An`, plan: `<b onmouseover="window.__pwned=1">Học</b> tin học` };

let world: FakePlatformWorld;
let graph: FakeGraphApi;
let server: ServerProcess;
let database: pg.Client;
let browser: Browser;
let environment: Record<string, string | undefined>;
let branchId = "";

async function registerOnWebChat(answers: string[]): Promise<void> {
  const citizen = new WebchatClient(server.url);
  for (const answer of answers) await citizen.says(answer);
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = await startFakePlatformWorld({ ADMIN_TOKEN: adminToken, BROADCAST_QUIET_HOURS: "off" });
  ({ graph, server, database, environment } = world);
  browser = await launchChromium();

}, 180_000);

afterAll(async () => {
  await browser?.close();
  // The test restarts the server: stop the one running now.
  await server?.stop();
  await world?.close();
});

/** The story so far: a citizen registered without a branch, the association made accounts and a branch, its head claimed it. */
async function prepare(): Promise<void> {
  // A citizen of Phường Vĩnh Yên (no branch yet) registers on the web chat, typing markup into three answers.
  await registerOnWebChat([
    "dang ky", "Đồng ý", "phu tho", "vinh yen", xss.village, xss.name, "1970", "Nam", "0912345678", "Người dân trong xã",
    "Hằng ngày", "Có, đã ghi rõ", "5 tiếng", "Thường xuyên", "Tra cứu, xem video", "Công việc không cần", "Thường xuyên", "Thường xuyên", "Hòa thuận", "Thường xuyên",
    xss.plan, "Gửi",
  ]);
  // The association creates accounts and the commune's first branch; its head claims it on Messenger.
  const bootstrap = new AdminClient(server.url, adminToken);
  expect((await bootstrap.json("/api/admin/accounts", { json: { email: "vinhyen@hkh.vn", password, role: "commune", province: "Phú Thọ", commune: "Vĩnh Yên" } })).status).toBe(201);
  expect((await bootstrap.json("/api/admin/accounts", { json: { email: "tw@hkh.vn", password, role: "national" } })).status).toBe(201);
  const branch = await bootstrap.json<{ id: string; inviteCode: string }>("/api/admin/branches", { json: { province: "Phú Thọ", commune: "Vĩnh Yên", name: "Chi hội khuyến học tổ 5" } });
  expect(branch.status).toBe(201);
  branchId = branch.body.id;
  let sequence = 0;
  for (const text of [`chihoi ${branch.body.inviteCode}`, "Trần Thị Hoa"]) {
    const event = messengerEvents.text(headPsid, testPage.pageId, text, `m_head_${++sequence}`);
    expect((await postWebhook(`${server.url}/webhooks/messenger`, signedMessengerWebhook(testPage.appSecret, messengerEvents.batch(testPage.pageId, [event])))).status).toBe(200);
    await settled(database, "messenger", headPsid);
  }
}

/** Looks at a page as its user would: a screenshot, no sideways scrolling on the phone, no script a citizen typed. */
async function look(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
}

async function logIn(page: Page, email: string): Promise<void> {
  await page.goto(`${server.url}/admin`);
  await expect.poll(() => page.url()).toContain("/admin/login");
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(`${server.url}/admin`);
}

async function openMenu(page: Page, title: string): Promise<void> {
  if (!(await page.locator("details.menu").evaluate((element) => (element as HTMLDetailsElement).open))) await page.click("details.menu summary");
  await page.click(`details.menu nav a:has-text("${title}")`);
  await page.waitForLoadState("networkidle");
}

describe("the admin console in a real browser", () => {
  it("logs in on a 390×844 screen, finds and places a registration, downloads the XLSX and a poster", async () => {
    await prepare();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${server.url}/admin`);
    await look(page, "01-login");
    await logIn(page, "vinhyen@hkh.vn");
    await expect.poll(() => page.locator("main").innerText()).toMatch(/Tổng quan năm 2026/);
    await look(page, "02-dashboard");

    await openMenu(page, "Đăng ký");
    await page.fill("input[name=q]", "nguyen van an");
    await page.click("form.filters button[type=submit]");
    await expect.poll(() => page.locator("#results .list li").count()).toBe(1);
    await expect.poll(() => page.url()).toMatch(/q=nguyen(\+|%20)van(\+|%20)an/);
    const listed = await page.locator("#results .list li").innerText();
    expect(listed).toContain("Nguyễn Văn An");
    await look(page, "03-registrations");

    await page.click("#results .list li a");
    await page.waitForURL(/\/admin\/registrations\/[0-9a-f-]{36}$/);
    const registrationPath = new URL(page.url()).pathname;
    const detail = await page.locator("main").innerText();
    for (const typed of Object.values(xss)) expect(detail).toContain(typed);
    expect(await page.locator("main script, main img, main b[onmouseover]").count()).toBe(0);
    await look(page, "04-registration");

    await page.selectOption("select[name=branchId]", { label: "Chi hội khuyến học tổ 5 (VYEN01)" });
    await page.click("#placement button[type=submit]");
    await expect.poll(() => page.locator(".flash").innerText()).toMatch(/Đã xếp vào Chi hội khuyến học tổ 5; 1 chi hội trưởng nhận được thẻ/);
    await look(page, "05-placed");
    // The head's card reaches Messenger with the three decision buttons.
    await expect
      .poll(() => graph.sent.items.filter((entry) => entry.recipientId === headPsid && "attachment" in (entry.body.message ?? {})).length, { timeout: 20_000 })
      .toBe(1);
    const card = graph.sent.items.find((entry) => entry.recipientId === headPsid && "attachment" in (entry.body.message ?? {}))!.body.message as {
      attachment: { payload: { text: string; buttons: { title: string }[] } };
    };
    expect(card.attachment.payload.text).toContain("Nguyễn Văn An");
    expect(card.attachment.payload.buttons.map((button) => button.title)).toEqual(["Xác nhận", "Từ chối", "Cần bổ sung"]);

    await openMenu(page, "Xuất file");
    await look(page, "06-exports");
    const [xlsxDownload] = await Promise.all([page.waitForEvent("download"), page.click("a:has-text('Excel')")]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await xlsxDownload.path())!) as unknown as ArrayBuffer);
    const rows: string[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ""))));
    expect(rows[0]?.slice(0, 5)).toEqual(["Mã hồ sơ", "Họ và tên", "Giới tính", "Năm sinh", "Điện thoại"]);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[1]).toMatch(/Nguyễn Văn An$/);
    expect(rows[1]).toEqual(expect.arrayContaining(["Nam", "1970", "+84912345678", "Chi hội khuyến học tổ 5", "Người dân trong xã", "Đạt", "Chờ xác nhận"]));

    await openMenu(page, "Chi hội");
    await look(page, "07-branches");
    await page.click("a:has-text('Chi hội khuyến học tổ 5')");
    await page.waitForURL(`${server.url}/admin/branches/${branchId}`);
    await expect.poll(() => page.locator(".qrs img").count()).toBe(2);
    expect(await page.locator(".qrs img").evaluateAll((images) => images.every((image) => (image as HTMLImageElement).naturalWidth > 0))).toBe(true);
    expect(await page.locator("main").innerText()).toContain("Trần Thị Hoa");
    await look(page, "08-branch");
    const [posterDownload] = await Promise.all([page.waitForEvent("download"), page.click("a:has-text('áp phích')")]);
    const poster = readFileSync((await posterDownload.path())!);
    expect(poster.subarray(0, 5).toString()).toBe("%PDF-");
    expect(poster.length).toBeGreaterThan(20_000);

    for (const [title, name] of [["Báo cáo", "09-reports"], ["Chờ quá hạn", "10-escalations"], ["Tài khoản", "11-accounts"]] as const) {
      await openMenu(page, title);
      await look(page, name);
    }
    expect(await page.locator("main").innerText()).toContain("vinhyen@hkh.vn");
    expect(dialogs).toEqual([]);

    // The session lives in the database: the same cookie still works after the server restarts.
    await server.stop();
    server = await startServerProcess({ ...environment, PORT: String(new URL(server.url).port) });
    await page.goto(`${server.url}/admin/reports`);
    expect(page.url()).toBe(`${server.url}/admin/reports`);
    await expect.poll(() => page.locator("main").innerText()).toMatch(/Báo cáo năm 2026/);

    await page.click("details.menu summary");
    await page.click("button:has-text('Đăng xuất')");
    await page.waitForURL(/\/admin\/login\?out=1/);
    await logIn(page, "tw@hkh.vn");
    await openMenu(page, "Nhật ký");
    const audit = await page.locator("main").innerText();
    expect(audit).toMatch(/vinhyen@hkh\.vn\s+registration\.place/);
    expect(audit).toMatch(/vinhyen@hkh\.vn\s+export\.xlsx/);
    await look(page, "12-audit");

    // A campaign to everyone registered this year: preview (htmx), draft, send, progress until finished.
    await openMenu(page, "Nhắn tin hàng loạt");
    await page.fill("input[name=name]", "Nhắc họp chi hội");
    await page.fill("textarea[name=text]", "Chào {{name}}, chi hội họp lúc 8 giờ sáng Chủ nhật.");
    await page.click("button:has-text('Xem trước số người nhận')");
    await expect.poll(() => page.locator("#preview").innerText()).toMatch(/1 người nhận/);
    expect(await page.locator("#preview").innerText()).toMatch(/Trò chuyện trên web\s+1\s+0\s+0/);
    await look(page, "13-broadcast-new");
    await page.click("button:has-text('Lưu nháp')");
    await page.waitForURL(/\/admin\/broadcasts\/[0-9a-f-]{36}$/);
    broadcastPath = new URL(page.url()).pathname;
    expect(await page.locator("main").innerText()).toMatch(/Nháp/);
    await page.click("button:has-text('Gửi ngay')");
    await expect.poll(() => page.locator("#progress").innerText(), { timeout: 15_000 }).toMatch(/Đã xong/);
    expect(await page.locator("#progress").innerText()).toMatch(/Đã gửi\s+1/);
    await look(page, "14-broadcast-finished");

    // The smallest phone the association's staff use: every page again at 360×640, none scrolling sideways.
    await page.setViewportSize({ width: 360, height: 640 });
    for (const [path, name] of [
      ["/admin", "dashboard"], ["/admin/registrations", "registrations"], [registrationPath, "registration"], ["/admin/branches", "branches"],
      [`/admin/branches/${branchId}`, "branch"], ["/admin/reports", "reports"], ["/admin/exports", "exports"], ["/admin/escalations", "escalations"],
      ["/admin/accounts", "accounts"], ["/admin/audit", "audit"], ["/admin/broadcasts", "broadcasts"], [broadcastPath, "broadcast"],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await look(page, `360-${name}`);
    }
    await page.click("details.menu summary");
    await look(page, "360-menu");
    await page.click("button:has-text('Đăng xuất')");
    await page.waitForURL(/\/admin\/login\?out=1/);
    await look(page, "360-login");
    await context.close();
  });
});
