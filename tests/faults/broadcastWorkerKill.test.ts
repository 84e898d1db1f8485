import { eq } from "drizzle-orm";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastRecipients } from "../../db/schema.js";
import type { BroadcastView } from "../../src/broadcasts/campaignStore.js";
import { seedAudience, vinhYen, type AudienceMember } from "../broadcasts/support.js";
import { startFakeGraphApi, textOf, type FakeGraphApi } from "../fakes/fakeGraphApi.js";
import { startFakeZaloApi, type FakeZaloApi } from "../fakes/fakeZaloApi.js";
import { AdminClient } from "../support/adminClient.js";
import { startAdminApp, type AdminApp } from "../support/adminApp.js";
import { fakePlatformEnvironment, testPage, testZaloOa } from "../support/platformHelpers.js";
import { startWorkerProcess } from "../support/serverProcess.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// Acceptance 2 of the broadcasts issue: SIGKILL the worker process mid-campaign and start it again → the campaign
// finishes, nobody is sent to twice, nobody is left queued.
const token = "kill-test-token";
let graph: FakeGraphApi;
let zalo: FakeZaloApi;
let test: TestRuntime;
let app: AdminApp;
let workerEnvironment: Record<string, string | undefined>;
const children: Array<{ child: import("node:child_process").ChildProcess }> = [];

beforeAll(async () => {
  graph = await startFakeGraphApi({ pageAccessToken: testPage.pageAccessToken, pageId: testPage.pageId });
  zalo = await startFakeZaloApi({ appId: testZaloOa.appId, appSecret: testZaloOa.appSecret, accessToken: "zat-initial", refreshToken: "zrt-initial", oaId: testZaloOa.oaId });
  test = await startTestRuntime({
    ...fakePlatformEnvironment({ graphUrl: graph.graphUrl, zaloApiUrl: zalo.apiUrl, zaloOauthUrl: zalo.oauthUrl }),
    RUN_WORKERS: "false",
  });
  workerEnvironment = {
    ...test.environment,
    RUN_WORKERS: "true",
    BROADCAST_QUIET_HOURS: "off",
    BROADCAST_RATE_MESSENGER: "100",
    BROADCAST_TICK_MS: "500",
    BROADCAST_INTERRUPTED_AFTER_MS: "12000",
    REMINDERS_ENABLED: "false",
  };
  app = await startAdminApp(test, { adminToken: token });
});

afterAll(async () => {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await app?.close();
  await test?.close();
  await graph?.close();
  await zalo?.close();
});

describe("a worker killed mid-campaign", () => {
  it("finishes after a restart with nobody sent twice and nobody left queued", async () => {
    const people: AudienceMember[] = Array.from({ length: 300 }, (_, index) => ({ name: `Người ${index}`, channel: "messenger", userId: String(6_000_000 + index), wroteHoursAgo: 1, communeCode: vinhYen }));
    await seedAudience(test.runtime.database.db, people);
    const first = await startWorkerProcess(workerEnvironment);
    children.push(first);
    const admin = new AdminClient(app.url, token);
    const created = await admin.json<{ id: string }>("/api/admin/broadcasts", { json: { name: "Chịu lỗi", text: "Nhắc nhở [kill]", audience: { commune: vinhYen } } });
    const id = created.body.id;
    const ours = () => graph.sent.items.filter((entry) => textOf(entry.body) === "Nhắc nhở [kill]");
    expect((await admin.json(`/api/admin/broadcasts/${id}/send`, { json: {} })).status).toBe(200);
    await expect.poll(() => ours().length, { timeout: 15_000, interval: 5 }).toBeGreaterThanOrEqual(60);
    const exited = once(first.child, "exit");
    first.child.kill("SIGKILL");
    await exited;
    const atKill = ours().length;
    expect(atKill).toBeLessThan(300);

    const second = await startWorkerProcess(workerEnvironment);
    children.push(second);
    let view: BroadcastView | undefined;
    await expect
      .poll(
        async () => {
          view = (await admin.json<BroadcastView>(`/api/admin/broadcasts/${id}`)).body;
          return view.status;
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBe("finished");
    const recipients = ours().map((entry) => entry.recipientId);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(view!.counts.queued + view!.counts.sending).toBe(0);
    const rows = await test.runtime.database.db.select().from(broadcastRecipients).where(eq(broadcastRecipients.broadcastId, id));
    const interrupted = rows.filter((row) => row.status === "failed");
    expect(interrupted.every((row) => row.errorCode === "interrupted")).toBe(true);
    // Everyone the platform accepted is counted sent, except at most the few whose send was cut by the kill.
    expect(view!.counts.sent + interrupted.length).toBe(300);
    expect(recipients.length).toBeGreaterThanOrEqual(view!.counts.sent);
    expect(recipients.length).toBeLessThanOrEqual(view!.counts.sent + interrupted.length);
    expect(interrupted.length).toBeLessThanOrEqual(4);
    const exitedSecond = once(second.child, "exit");
    second.child.kill("SIGTERM");
    await exitedSecond;
  }, 90_000);
});
