import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyMessengerSignature } from "../../src/channels/messenger/verifyMessengerSignature.js";
import { verifyZaloSignature } from "../../src/channels/zalo/verifyZaloSignature.js";
import { messengerSignature, zaloSignature } from "../fakes/signWebhooks.js";

describe("verifyMessengerSignature", () => {
  const secret = "app-secret-123";
  const body = Buffer.from('{"object":"page","entry":[]}');

  it("accepts the vector computed with openssl", () => {
    // printf '%s' '{"object":"page","entry":[]}' | openssl dgst -sha256 -hmac 'app-secret-123'
    const header = "sha256=045d425314376ceef02357beda9d40971b523021cc4baad4e55bde33d2691f03";
    expect(verifyMessengerSignature(body, header, secret)).toEqual({ valid: true });
    expect(verifyMessengerSignature(body, header.toUpperCase().replace("SHA256=", "sha256="), secret)).toEqual({ valid: true });
  });

  it("rejects a tampered body, a wrong secret, a missing or malformed header", () => {
    const header = messengerSignature(secret, body);
    expect(verifyMessengerSignature(Buffer.from('{"object":"page","entry":[{}]}'), header, secret)).toEqual({ valid: false, reason: "mismatch" });
    expect(verifyMessengerSignature(body, header, "other-secret")).toEqual({ valid: false, reason: "mismatch" });
    expect(verifyMessengerSignature(body, undefined, secret)).toEqual({ valid: false, reason: "missing" });
    expect(verifyMessengerSignature(body, "sha1=abc", secret)).toEqual({ valid: false, reason: "malformed" });
    expect(verifyMessengerSignature(body, header.slice(0, -2), secret)).toEqual({ valid: false, reason: "malformed" });
  });

  it("hashes the raw bytes: the same JSON re-serialised with escapes does not match", () => {
    const raw = Buffer.from('{"text":"\\u0110\\u0103ng k\\u00fd"}');
    const header = messengerSignature(secret, raw);
    expect(verifyMessengerSignature(raw, header, secret).valid).toBe(true);
    expect(verifyMessengerSignature(Buffer.from(JSON.stringify(JSON.parse(raw.toString()))), header, secret).valid).toBe(false);
  });
});

describe("verifyZaloSignature", () => {
  const keys = { appId: "360846524940903967", oaId: "388613280878808645", oaSecretKey: "oa-secret-xyz", appSecret: "app-secret-abc" };
  const timestamp = "1677721200000";
  const raw = `{"event_name":"follow","timestamp":"${timestamp}"}`;
  const rawBody = Buffer.from(raw);
  const check = (signature: string | undefined, overrides: Partial<Parameters<typeof verifyZaloSignature>[0]> = {}) =>
    verifyZaloSignature({ rawBody, signature, bodyTimestamp: timestamp, headerTimestamp: undefined, ...keys, ...overrides });

  it("accepts the vector computed with sha256sum (App ID + body + timestamp + OA secret key)", () => {
    // printf '%s' '360846524940903967{"event_name":"follow","timestamp":"1677721200000"}1677721200000oa-secret-xyz' | sha256sum
    const result = check("mac=05ff8bbfdd9414392fc28b0a915e766615bde13a46e6615b005433d9013fc9ef");
    expect(result).toEqual({ valid: true, variant: { firstTerm: "appId", secret: "oaSecretKey", timestampFrom: "body" } });
  });

  it("accepts the OA ID as first term and the app secret, and says which matched", () => {
    const byOaId = zaloSignature({ firstTerm: keys.oaId, rawBody, timestamp, secret: keys.oaSecretKey });
    expect(check(byOaId)).toEqual({ valid: true, variant: { firstTerm: "oaId", secret: "oaSecretKey", timestampFrom: "body" } });
    const byAppSecret = zaloSignature({ firstTerm: keys.appId, rawBody, timestamp, secret: keys.appSecret });
    expect(check(byAppSecret)).toEqual({ valid: true, variant: { firstTerm: "appId", secret: "appSecret", timestampFrom: "body" } });
    const both = zaloSignature({ firstTerm: keys.oaId, rawBody, timestamp, secret: keys.appSecret });
    expect(check(both)).toEqual({ valid: true, variant: { firstTerm: "oaId", secret: "appSecret", timestampFrom: "body" } });
  });

  it("accepts the timestamp from the request header", () => {
    const headerTimestamp = "1677721209999";
    const mac = zaloSignature({ firstTerm: keys.appId, rawBody, timestamp: headerTimestamp, secret: keys.oaSecretKey });
    expect(check(mac, { headerTimestamp })).toEqual({ valid: true, variant: { firstTerm: "appId", secret: "oaSecretKey", timestampFrom: "header" } });
  });

  it("does not try the OA ID when it is not configured", () => {
    const byOaId = zaloSignature({ firstTerm: keys.oaId, rawBody, timestamp, secret: keys.oaSecretKey });
    expect(check(byOaId, { oaId: undefined })).toEqual({ valid: false, reason: "mismatch" });
  });

  it("rejects a tampered body, a wrong secret, a missing or malformed header, HMAC instead of a plain hash", () => {
    const mac = zaloSignature({ firstTerm: keys.appId, rawBody, timestamp, secret: keys.oaSecretKey });
    expect(check(mac, { rawBody: Buffer.from(raw.replace("follow", "unfollow")) })).toEqual({ valid: false, reason: "mismatch" });
    expect(check(zaloSignature({ firstTerm: keys.appId, rawBody, timestamp, secret: "wrong" }))).toEqual({ valid: false, reason: "mismatch" });
    expect(check(mac, { bodyTimestamp: "1677721200001" })).toEqual({ valid: false, reason: "mismatch" });
    expect(check(undefined)).toEqual({ valid: false, reason: "missing" });
    expect(check("mac=zz")).toEqual({ valid: false, reason: "malformed" });
    const hmac = createHmac("sha256", keys.oaSecretKey).update(rawBody).digest("hex");
    expect(check(`mac=${hmac}`)).toEqual({ valid: false, reason: "mismatch" });
  });
});
