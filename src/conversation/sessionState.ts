import { z } from "zod";
import { registrationStatuses } from "../../db/schema.js";
import { locales } from "./types.js";

const jsonValue: z.ZodType<import("./types.js").JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const versionRef = z.object({ id: z.string(), version: z.number().int() });

export const answerSchema = z.object({
  raw: z.string(),
  value: jsonValue,
  points: z.number().nullable(),
});
export type Answer = z.infer<typeof answerSchema>;

const buttonSchema = z.object({ title: z.string(), payload: z.string() });

const pendingSchema = z.discriminatedUnion("kind", [
  /** A low-confidence understanding waits for "đúng" before it is stored. */
  z.object({ kind: z.literal("confirmValue"), field: z.string(), answer: answerSchema, display: z.string(), prompt: z.string().optional() }),
  z.object({ kind: z.literal("confirmCancel") }),
  z.object({ kind: z.literal("confirmDelete") }),
  z.object({ kind: z.literal("chooseLanguage") }),
  z.object({ kind: z.literal("editMenu") }),
  /** A new branch head is asked their name; honoured only while the database says they head a branch without one. */
  z.object({ kind: z.literal("headName") }),
  /** "Cần bổ sung": the head picks the items to reopen (criteria fields) before giving the reason. */
  z.object({ kind: z.literal("decisionItems"), token: z.string(), items: z.array(z.string()) }),
  /** "Từ chối" or "Cần bổ sung": the next text is the reason; nothing is stored until it comes. */
  z.object({ kind: z.literal("decisionReason"), token: z.string(), action: z.enum(["reject", "more"]), items: z.array(z.string()) }),
]);
export type Pending = z.infer<typeof pendingSchema>;

/** Stages that are not flow steps. */
export const idleStages = ["idle", "refused", "done"] as const;

/**
 * What the engine remembers between two messages of one person. Small and versioned: everything durable is also
 * in PostgreSQL, so a lost session is rebuilt from the draft registration.
 */
export const sessionStateSchema = z.object({
  v: z.literal(1),
  locale: z.enum(locales),
  year: z.number().int(),
  flow: versionRef,
  criteriaSet: versionRef.nullable(),
  /** The current step id, "criteria.<indicatorId>", or one of idleStages. */
  stage: z.string(),
  answers: z.record(z.string(), answerSchema),
  consentAt: z.number().nullable(),
  /** After an edit, come back to the summary instead of walking on. */
  returnToSummary: z.boolean(),
  history: z.array(z.string()),
  pending: pendingSchema.nullable(),
  /** The buttons of the last question, so a typed "2" means the second one. */
  offered: z.array(buttonSchema),
  preselectedBranchId: z.string().nullable(),
  registrationStatus: z.enum(registrationStatuses).nullable(),
  /** Items a branch head asked to complete ("Cần bổ sung"). */
  reopened: z.array(z.string()),
  /** Answers in a row the bot did not understand (reset by the next one it does): every second one adds a hint. */
  misses: z.number().int().min(0).default(0),
});

export type SessionState = z.infer<typeof sessionStateSchema>;

export const criteriaField = (indicatorId: string) => `criteria.${indicatorId}`;
export const isCriteriaField = (field: string) => field.startsWith("criteria.");
export const indicatorIdOf = (field: string) => field.slice("criteria.".length);
