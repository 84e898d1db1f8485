import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastRecipients, broadcasts, registrations } from "../../db/schema.js";
import { tokenActor } from "../../src/admin/scope.js";
import { createBroadcasting, type Broadcasting } from "../../src/broadcasts/broadcasting.js";
import { applyCampaignAction, createBroadcast, getBroadcast } from "../../src/broadcasts/campaignStore.js";
import { parseQuietHours, quietUntil } from "../../src/broadcasts/quietHours.js";
import { runNudges, runRenewal, type ReminderDeps } from "../../src/broadcasts/reminders.js";
import { runBroadcastBatch } from "../../src/broadcasts/runBroadcastBatch.js";
import { planBroadcastJobs } from "../../src/broadcasts/broadcastQueue.js";
import { textOf, startFakeGraphApi, type FakeGraphApi } from "../fakes/fakeGraphApi.js";
import { startFakeZaloApi, type FakeZaloApi } from "../fakes/fakeZaloApi.js";
import { fakePlatformEnvironment, testPage, testZaloOa } from "../support/platformHelpers.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";
import { seedAudience, vinhYen } from "./support.js";

// Acceptance 4 of the broadcasts issue: quiet hours and the platforms' night rule (controlled clock), scheduled
// campaigns, and each scheduled reminder, once per person and period.
let graph: FakeGraphApi;
let zalo: FakeZaloApi;
let test: TestRuntime;
/** The clock the runner and the fakes read in this file. */
let clock = Date.parse("2026-11-24T05:00:00Z");
const vietnam = (isoLocal: string) => Date.parse(`${isoLocal}+07:00`);
let local: Broadcasting;

beforeAll(async () => {
  graph = await startFakeGraphApi({ pageAccessToken: testPage.pageAccessToken, pageId: testPage.pageId });
  zalo = await startFakeZaloApi({ appId: testZaloOa.appId, appSecret: testZaloOa.appSecret, accessToken: "zat-initial", refreshToken: "zrt-initial", oaId: testZaloOa.oaId });
  graph.enforceWindows(() => clock);
  zalo.enforceRules(() => clock);
  zalo.approveTemplate("tpl-night", ["customer_name", "content"]);
  test = await startTestRuntime({
    ...fakePlatformEnvironment({ graphUrl: graph.graphUrl, zaloApiUrl: zalo.apiUrl, zaloOauthUrl: zalo.oauthUrl }),
    ZALO_BUSINESS_API_URL: zalo.apiUrl,
    ZALO_TEMPLATE_ID: "tpl-night",
  });
  // The single-process runner with this file's clock (quiet hours 21:00–08:00, the default).
  local = createBroadcasting({
    config: { ...test.config, REDIS_URL: undefined },
    db: test.runtime.database.db,
    databaseKind: test.runtime.database.kind,
    redis: null,
    platforms: test.runtime.delivery.platforms,
    translate: test.runtime.translate,
    logger: test.runtime.logger,
    now: () => new Date(clock),
  });
});

afterAll(async () => {
  await local?.close();
  await test?.close();
  await graph?.close();
  await zalo?.close();
});

const statuses = async (broadcastId: string) =>
  (await test.runtime.database.db.select({ userId: broadcastRecipients.userId, status: broadcastRecipients.status }).from(broadcastRecipients).where(eq(broadcastRecipients.broadcastId, broadcastId))).reduce<Record<string, string>>(
    (all, row) => ({ ...all, [row.userId]: row.status }),
    {},
  );

describe("quiet hours", () => {
  it("knows when 21:00–08:00 in Vietnam ends, across midnight", () => {
    const quiet = parseQuietHours("21:00-08:00");
    expect(quietUntil(quiet, new Date(vietnam("2026-11-24T20:59:00")))).toBeNull();
    expect(quietUntil(quiet, new Date(vietnam("2026-11-24T21:00:00")))?.getTime()).toBe(vietnam("2026-11-25T08:00:00"));
    expect(quietUntil(quiet, new Date(vietnam("2026-11-25T03:30:00")))?.getTime()).toBe(vietnam("2026-11-25T08:00:00"));
    expect(quietUntil(quiet, new Date(vietnam("2026-11-25T08:00:00")))).toBeNull();
    expect(quietUntil(parseQuietHours("off"), new Date(vietnam("2026-11-25T03:30:00")))).toBeNull();
  });

  it("a campaign started at night waits for the morning, then sends; a platform's night refusal waits too", async () => {
    clock = vietnam("2026-11-24T22:15:00");
    await seedAudience(
      test.runtime.database.db,
      [
        { name: "Người Đêm Một", channel: "messenger", userId: "5101", wroteHoursAgo: 2, communeCode: vinhYen },
        { name: "Người Đêm Hai", channel: "zalo", userId: "5102", wroteHoursAgo: 300, phone: "+84900000002", communeCode: vinhYen },
      ],
      clock,
    );
    graph.userWrote("5101", clock - 2 * 3600_000);
    const { id } = await createBroadcast(test.runtime.database.db, tokenActor, { name: "Đêm", text: "Tin ban đêm [n1]", audience: { commune: vinhYen } });
    const started = await applyCampaignAction(test.runtime.database.db, tokenActor, id, "send", new Date(clock));
    expect(started.status).toBe("ok");
    const jobs = await planBroadcastJobs(test.runtime.database.db, id, 1, 200);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      const result = await runBroadcastBatch(local.deps, job);
      expect(result).toEqual({ kind: "wait", until: new Date(vietnam("2026-11-25T08:00:00")), sent: 0 });
    }
    expect(await statuses(id)).toEqual({ "5101": "queued", "5102": "queued" });
    expect(graph.sent.items.filter((entry) => textOf(entry.body).includes("[n1]"))).toEqual([]);

    // Quiet hours off, but Zalo still refuses templates 22:00–06:00 (-133): the recipient waits, nothing fails.
    const noQuiet = { ...local.deps, quiet: null };
    clock = vietnam("2026-11-25T05:00:00");
    const zaloJob = jobs.find((job) => job.channel === "zalo")!;
    const night = await runBroadcastBatch(noQuiet, zaloJob);
    expect(night.kind).toBe("wait");
    expect(await statuses(id)).toMatchObject({ "5102": "queued" });

    clock = vietnam("2026-11-25T08:05:00");
    graph.userWrote("5101", clock - 3600_000);
    for (const job of jobs) expect((await runBroadcastBatch(local.deps, job)).kind).toBe("done");
    expect(await statuses(id)).toEqual({ "5101": "sent", "5102": "template_sent" });
    expect((await getBroadcast(test.runtime.database.db, tokenActor, id))?.status).toBe("finished");
    expect(zalo.templatesSent.items.filter((entry) => entry.body.template_data["content"]?.includes("[n1]"))).toHaveLength(1);
  });
});

describe("automatic pause", () => {
  it("pauses by itself after errors in a row, with the reason, and resumes from where it stopped", async () => {
    clock = vietnam("2026-11-25T11:00:00");
    const five = Array.from({ length: 5 }, (_, index) => ({ name: `Lỗi ${index}`, channel: "messenger" as const, userId: String(5400 + index), wroteHoursAgo: 1, communeCode: "01564", provinceCode: "21" }));
    await seedAudience(test.runtime.database.db, five, clock);
    for (const member of five) graph.userWrote(member.userId, clock - 3600_000);
    const { id } = await createBroadcast(test.runtime.database.db, tokenActor, { name: "Lỗi", text: "Tin [e1]", audience: { commune: "01564" } });
    await applyCampaignAction(test.runtime.database.db, tokenActor, id, "send", new Date(clock));
    graph.fail("permanent");
    const strict = { ...local.deps, pauseAfterErrors: 3 };
    const [job] = await planBroadcastJobs(test.runtime.database.db, id, 1, 200);
    expect(await runBroadcastBatch(strict, job!)).toEqual({ kind: "stopped", sent: 0 });
    const paused = await getBroadcast(test.runtime.database.db, tokenActor, id);
    expect(paused).toMatchObject({ status: "paused", pausedReason: "errors", pausedCode: "100", counts: { failed: 3, queued: 2 } });
    graph.recover();
    const resumed = await applyCampaignAction(test.runtime.database.db, tokenActor, id, "resume", new Date(clock));
    expect(resumed.status === "ok" && resumed.enqueue?.round).toBe(2);
    for (const next of await planBroadcastJobs(test.runtime.database.db, id, 2, 200)) expect((await runBroadcastBatch(strict, next)).kind).toBe("done");
    expect(await getBroadcast(test.runtime.database.db, tokenActor, id)).toMatchObject({ status: "finished", pausedReason: null, counts: { failed: 3, sent: 2 } });
  });
});

describe("scheduled campaigns", () => {
  it("a campaign with a send time waits as scheduled and starts when it is due", async () => {
    clock = vietnam("2026-11-25T09:00:00");
    const { id } = await createBroadcast(test.runtime.database.db, tokenActor, {
      name: "Hẹn giờ",
      text: "Tin hẹn giờ [s1]",
      audience: { commune: vinhYen },
      sendAt: new Date(vietnam("2026-11-25T10:00:00")),
    });
    const scheduled = await applyCampaignAction(test.runtime.database.db, tokenActor, id, "send", new Date(clock));
    expect(scheduled.status === "ok" && scheduled.view.status).toBe("scheduled");
    await local.tick();
    expect((await getBroadcast(test.runtime.database.db, tokenActor, id))?.status).toBe("scheduled");
    clock = vietnam("2026-11-25T10:00:30");
    graph.userWrote("5101", clock - 3600_000);
    await local.tick();
    expect(["running", "finished"]).toContain((await getBroadcast(test.runtime.database.db, tokenActor, id))?.status);
    await (local.queue as unknown as { idle(): Promise<void> }).idle();
    const done = await getBroadcast(test.runtime.database.db, tokenActor, id);
    expect(done).toMatchObject({ status: "finished", total: 2, counts: { sent: 1, templateSent: 1 } });
  });
});

describe("scheduled reminders", () => {
  const deps = (): ReminderDeps => ({ db: test.runtime.database.db, queue: local.queue, translate: test.runtime.translate, config: test.config, logger: test.runtime.logger });

  it("nudges a draft left alone once, only while the free window is open", async () => {
    clock = vietnam("2026-11-26T10:00:00");
    const byUser = await seedAudience(
      test.runtime.database.db,
      [
        { name: "Zalo Bỏ Dở", channel: "zalo", userId: "5201", wroteHoursAgo: 30, status: "draft" },
        { name: "Messenger Vừa Kịp", channel: "messenger", userId: "5202", wroteHoursAgo: 23.5, status: "draft" },
        { name: "Messenger Quá Hạn", channel: "messenger", userId: "5203", wroteHoursAgo: 30, status: "draft" },
        { name: "Mới Nhắn", channel: "zalo", userId: "5204", wroteHoursAgo: 2, status: "draft" },
        { name: "Đã Gửi", channel: "zalo", userId: "5205", wroteHoursAgo: 30, status: "submitted" },
        { name: "Trên Web", channel: "web", userId: "web-5206", wroteHoursAgo: 30, status: "draft" },
        { name: "Không Muốn Nhắc", channel: "zalo", userId: "5207", wroteHoursAgo: 30, status: "draft", optedOut: true },
      ],
      clock,
    );
    zalo.userInteracted("5201", clock - 30 * 3600_000);
    graph.userWrote("5202", clock - 23.5 * 3600_000);
    const first = await runNudges(deps(), new Date(clock));
    expect(first.recipients).toBe(2);
    expect(Object.keys(await statuses(first.broadcastId!)).sort()).toEqual(["5201", "5202"]);
    const again = await runNudges(deps(), new Date(clock + 3600_000));
    expect(again).toEqual({ broadcastId: null, recipients: 0 });
    await (local.queue as unknown as { idle(): Promise<void> }).idle();
    expect(await statuses(first.broadcastId!)).toEqual({ "5201": "sent", "5202": "sent" });
    expect(zalo.textsTo("5201")).toEqual(['Chào Zalo Bỏ Dở, bạn còn đang dở đăng ký Công dân học tập năm 2026. Khi rảnh, bạn nhắn "đăng ký" để làm tiếp nhé. (Không muốn nhận nhắc nhở: nhắn "dừng nhắc".)']);
    const [campaign] = await test.runtime.database.db.select().from(broadcasts).where(eq(broadcasts.id, first.broadcastId!));
    expect(campaign).toMatchObject({ kind: "nudge", status: "finished", total: 2 });
    expect(byUser.size).toBe(7);
  });

  it("invites this year's registrants to next year's registration from the configured date, once", async () => {
    const db = test.runtime.database.db;
    const byUser = await seedAudience(
      db,
      [
        { name: "Năm Nay Xác Nhận", channel: "web", userId: "web-5301", wroteHoursAgo: 100, status: "confirmed" },
        { name: "Đã Có Năm Sau", channel: "web", userId: "web-5302", wroteHoursAgo: 100, status: "confirmed" },
        { name: "Đã Hủy", channel: "web", userId: "web-5303", wroteHoursAgo: 100, status: "cancelled" },
      ],
      clock,
    );
    const [existing] = await db.select().from(registrations).where(eq(registrations.personId, byUser.get("web-5302")!));
    await db.insert(registrations).values({ ...existing!, id: undefined, year: 2027, status: "draft" });
    expect(await runRenewal(deps(), new Date(vietnam("2026-11-30T09:00:00")))).toEqual({ broadcastId: null, recipients: 0 });
    const run = await runRenewal(deps(), new Date(vietnam("2026-12-01T09:00:00")));
    const invited = await statuses(run.broadcastId!);
    expect(invited["web-5301"]).toBeDefined(); // queued, or already being sent by the single-process queue
    expect(invited["web-5302"]).toBeUndefined();
    expect(invited["web-5303"]).toBeUndefined();
    expect(await runRenewal(deps(), new Date(vietnam("2026-12-02T09:00:00")))).toEqual({ broadcastId: null, recipients: 0 });
    clock = vietnam("2026-12-01T09:00:00");
    await (local.queue as unknown as { idle(): Promise<void> }).idle();
    const { webTranscript } = await import("../../src/persistence/conversationStore.js");
    const transcript = await webTranscript(db, "web-5301");
    expect(transcript.entries.map((entry) => entry.text)).toContain('Chào Năm Nay Xác Nhận, sắp sang năm mới. Mời bạn đăng ký danh hiệu Công dân học tập năm 2027: nhắn "đăng ký" để bắt đầu. (Không muốn nhận nhắc nhở: nhắn "dừng nhắc".)');
  });
});
