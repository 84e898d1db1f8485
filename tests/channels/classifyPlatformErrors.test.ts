import { describe, expect, it } from "vitest";
import { classifyMessengerError } from "../../src/channels/messenger/classifyMessengerError.js";
import { classifyZaloError } from "../../src/channels/zalo/classifyZaloError.js";

const graph = (code: number, subcode?: number, httpStatus = 400) => ({ httpStatus, body: { error: { message: "x", type: "OAuthException", code, ...(subcode ? { error_subcode: subcode } : {}) } } });
const zalo = (error: number) => ({ httpStatus: 200, body: { error, message: "x" } });

describe("classifyMessengerError", () => {
  it.each([
    [graph(10, 2018278), "outsideWindow"],
    [graph(10, 1893063), "quota"],
    [graph(551, 1545041), "unreachable"],
    [graph(190, 463), "tokenInvalid"],
    [graph(4), "rateLimited"],
    [graph(613), "rateLimited"],
    [graph(2, undefined, 500), "temporary"],
    [{ httpStatus: 503, body: "<html>" }, "temporary"],
    [graph(100, 2018001), "permanent"],
  ])("%j → %s", (response, kind) => {
    expect(classifyMessengerError(response).kind).toBe(kind);
  });

  it("keeps code, subcode and message for the log", () => {
    expect(classifyMessengerError(graph(10, 2018278))).toEqual({ kind: "outsideWindow", code: 10, subcode: 2018278, httpStatus: 400, message: "x" });
  });
});

describe("classifyZaloError", () => {
  it.each([
    [-230, "outsideWindow"],
    [-232, "outsideWindow"],
    [-213, "unreachable"],
    [-217, "unreachable"],
    [-227, "unreachable"],
    [-244, "unreachable"],
    [-216, "tokenInvalid"],
    [-220, "tokenInvalid"],
    [-32, "rateLimited"],
    [-214, "temporary"],
    [-100, "temporary"],
    [-201, "permanent"],
    [-234, "night"],
    [-133, "night"],
    [-211, "quota"],
    [-144, "quota"],
    [-114, "unreachable"],
    [-139, "unreachable"],
    [-131, "permanent"],
  ])("error %i → %s", (code, kind) => {
    expect(classifyZaloError(zalo(code)).kind).toBe(kind);
  });

  it("treats gateway errors as temporary and 429 as a rate limit", () => {
    expect(classifyZaloError({ httpStatus: 502, body: "<html>Bad Gateway</html>" }).kind).toBe("temporary");
    expect(classifyZaloError({ httpStatus: 429, body: null }).kind).toBe("rateLimited");
  });
});
