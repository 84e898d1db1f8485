/** What a platform said when it refused a send, sorted into what the delivery layer does about it. */
/**
 * night: the platform refuses this kind of message at night (Zalo -234, template -133): send it in the morning.
 * quota: the OA or Page is out of quota or restricted (Zalo -211/-224/-115/-144, Messenger 10/1893063): stop and tell staff.
 */
export const sendFailureKinds = ["outsideWindow", "unreachable", "tokenInvalid", "rateLimited", "night", "quota", "temporary", "permanent"] as const;
export type SendFailureKind = (typeof sendFailureKinds)[number];

type FailureOf<K extends SendFailureKind> = {
  kind: K;
  /** The platform's error code (Graph `error.code`, Zalo `error`), null for network errors and bare HTTP failures. */
  code: number | null;
  subcode: number | null;
  httpStatus: number | null;
  message: string;
};

export type SendFailure = { [K in SendFailureKind]: FailureOf<K> }[SendFailureKind];

export type PlatformSendResult = { status: "sent"; messageId: string } | { status: "failed"; failure: SendFailure };

/** Failures worth trying again later: the message itself is fine, the moment was not. */
export function isRetryableFailure(failure: SendFailure): boolean {
  return ["rateLimited", "temporary", "tokenInvalid", "night", "quota"].includes(failure.kind);
}

export function describeFailure(failure: SendFailure): string {
  const code = failure.code === null ? "" : ` ${failure.code}${failure.subcode === null ? "" : `/${failure.subcode}`}`;
  const http = failure.httpStatus === null ? "" : ` (HTTP ${failure.httpStatus})`;
  return `${failure.kind}${code}${http}: ${failure.message}`;
}
