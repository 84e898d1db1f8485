import type pg from "pg";
import { expect } from "vitest";
import { startFakeGraphApi } from "../fakes/fakeGraphApi.js";
import { startFakeZaloApi } from "../fakes/fakeZaloApi.js";
import { connectToSchema, startServerProcess } from "./serverProcess.js";
import { cleanUpIsolated, isolatedEnvironment, postgresUrl } from "./testRuntime.js";

/** Resolves once every event of this person is handled and every message to them delivered (or given up). */
export async function settled(database: pg.Client, channel: string, userId: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const { rows } = await database.query(
          `select (select count(*) from inbound_events where channel = $1 and user_id = $2 and processed_at is null)
                + (select count(*) from outbound_messages where channel = $1 and user_id = $2 and status in ('pending', 'sending')) as n`,
          [channel, userId],
        );
        return Number(rows[0].n);
      },
      { timeout: 20_000, interval: 20 },
    )
    .toBe(0);
}

/** The button a person would tap for this title: by its title, or by its number when the channel listed the options. */
export function buttonFor<B extends { title?: string }>(buttons: B[], text: string, title: string): B | undefined {
  const byTitle = buttons.find((candidate) => candidate.title === title);
  if (byTitle) return byTitle;
  const number = new RegExp(`^(\\d+)\\. ${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m").exec(text)?.[1];
  return number ? buttons.find((candidate) => candidate.title === number) : undefined;
}

/** The Messenger Page and Zalo OA the end-to-end suites pretend to be, and their fake platform servers' keys. */
export const testPage = { pageId: "106000000000001", pageAccessToken: "EAAB-page-token", appSecret: "messenger-app-secret" };
export const testZaloOa = { appId: "360846524940903967", appSecret: "zalo-app-secret", oaSecretKey: "zalo-oa-secret", oaId: "388613280878808645" };

/** The environment that turns both channels on and points them at fake platform servers on loopback. */
export function fakePlatformEnvironment(urls: { graphUrl: string; zaloApiUrl: string; zaloOauthUrl: string }): Record<string, string> {
  return {
    MESSENGER_APP_SECRET: testPage.appSecret,
    MESSENGER_VERIFY_TOKEN: "verify-me",
    MESSENGER_PAGE_ACCESS_TOKEN: testPage.pageAccessToken,
    MESSENGER_PAGE_ID: testPage.pageId,
    MESSENGER_GRAPH_URL: urls.graphUrl,
    ZALO_APP_ID: testZaloOa.appId,
    ZALO_APP_SECRET: testZaloOa.appSecret,
    ZALO_OA_SECRET_KEY: testZaloOa.oaSecretKey,
    ZALO_OA_ID: testZaloOa.oaId,
    ZALO_ACCESS_TOKEN: "zat-initial",
    ZALO_REFRESH_TOKEN: "zrt-initial",
    ZALO_API_URL: urls.zaloApiUrl,
    ZALO_OAUTH_URL: urls.zaloOauthUrl,
  };
}

/**
 * One server process (`npm start` with environment only) with Messenger and Zalo pointed at fake platform servers
 * on loopback, in an isolated PostgreSQL schema and Redis prefix, and a client looking into that schema.
 */
export async function startFakePlatformWorld(extraEnvironment: Record<string, string> = {}) {
  const graph = await startFakeGraphApi({ pageAccessToken: testPage.pageAccessToken, pageId: testPage.pageId });
  const zalo = await startFakeZaloApi({ appId: testZaloOa.appId, appSecret: testZaloOa.appSecret, accessToken: "zat-initial", refreshToken: "zrt-initial", oaId: testZaloOa.oaId });
  const environment = isolatedEnvironment({
    DATABASE_URL: postgresUrl,
    ...fakePlatformEnvironment({ graphUrl: graph.graphUrl, zaloApiUrl: zalo.apiUrl, zaloOauthUrl: zalo.oauthUrl }),
    ...extraEnvironment,
  });
  const world = { graph, zalo, environment, server: await startServerProcess(environment), database: await connectToSchema(environment) };
  return {
    ...world,
    close: async () => {
      await world.database.end().catch(() => undefined);
      await world.server.stop();
      await graph.close();
      await zalo.close();
      await cleanUpIsolated(environment);
    },
  };
}

export type FakePlatformWorld = Awaited<ReturnType<typeof startFakePlatformWorld>>;
