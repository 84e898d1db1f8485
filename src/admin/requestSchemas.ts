import { z } from "zod";
import { adminRoles, registrationStatuses } from "../../db/schema.js";

const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((value) => (value === "" ? undefined : value));

export const pagingQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const yearQuery = (fallback: () => number) =>
  z.object({ year: z.coerce.number().int().min(2020).max(2100).optional().transform((year) => year ?? fallback()) });

export const registrationFilterQuery = (fallbackYear: () => number) =>
  yearQuery(fallbackYear).extend({
    status: z.enum(registrationStatuses).optional().or(z.literal("").transform(() => undefined)),
    group: optionalText,
    province: optionalText,
    commune: optionalText,
    branch: z.union([z.literal("none"), z.uuid(), z.literal("").transform(() => undefined)]).optional(),
    q: optionalText,
  });

export const branchFilterQuery = z.object({
  q: optionalText,
  province: optionalText,
  commune: optionalText,
  active: z
    .enum(["true", "false", ""])
    .optional()
    .transform((value) => (value === "true" ? true : value === "false" ? false : undefined)),
});

export const accountBody = z.object({
  email: z.email().max(200),
  password: z.string().min(10, "at least 10 characters").max(200),
  role: z.enum(adminRoles),
  province: optionalText,
  commune: optionalText,
});

export const loginBody = z.object({ email: z.string().trim().max(200), password: z.string().max(200) });

export const placeBody = z.object({ branchId: z.uuid() });

export const createBranchBody = z.object({
  province: z.string().trim().min(1).max(100),
  commune: z.string().trim().min(1).max(100),
  name: z.string().trim().min(3).max(120),
});

export const updateBranchBody = z.object({ name: z.string().trim().min(3).max(120).optional(), active: z.boolean().optional() });

export const uuidParam = z.uuid();

/** zod issues as short lines ("email: Invalid email address"). */
export const issueLines = (error: z.ZodError): string[] => error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
