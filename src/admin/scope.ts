import { eq, sql, type SQL } from "drizzle-orm";
import { branches, communes, registrations, type AdminRole } from "../../db/schema.js";

/** What an admin may read and change: the whole country, one province or one commune. */
export type AdminScope =
  | { level: "national" }
  | { level: "province"; provinceCode: string }
  | { level: "commune"; provinceCode: string; communeCode: string };

/** Who acts: an account signed in to the console or the API, or the ADMIN_TOKEN bootstrap (national). */
export type Actor = {
  accountId: string | null;
  /** The account's e-mail, or "ADMIN_TOKEN": what the audit log shows. */
  label: string;
  role: AdminRole;
  scope: AdminScope;
  /** A session cookie (not a bearer token) authenticated the request: writes need CSRF protection. */
  viaSession: boolean;
};

export const tokenActor: Actor = { accountId: null, label: "ADMIN_TOKEN", role: "national", scope: { level: "national" }, viaSession: false };

/**
 * Phone numbers are for the commune association that calls people back; province and national staff read
 * counts and names only (data minimisation, domain.md §11).
 */
export const mayReadPhones = (actor: Actor): boolean => actor.scope.level === "commune";

/** The registrations an actor may see, as a condition on `registrations` (where the citizen said they live). */
export function registrationsInScope(scope: AdminScope): SQL | undefined {
  switch (scope.level) {
    case "national":
      return undefined;
    case "province":
      return eq(registrations.provinceCode, scope.provinceCode);
    case "commune":
      return eq(registrations.communeCode, scope.communeCode);
  }
}

/** The branches an actor may see, as a condition on `branches` (no join needed: a subquery on communes). */
export function branchesInScope(scope: AdminScope): SQL | undefined {
  switch (scope.level) {
    case "national":
      return undefined;
    case "province":
      return sql`${branches.communeCode} in (select ${communes.code} from ${communes} where ${communes.provinceCode} = ${scope.provinceCode})`;
    case "commune":
      return eq(branches.communeCode, scope.communeCode);
  }
}

/** Whether a place (a commune in a province) lies inside a scope. */
export function placeInScope(scope: AdminScope, place: { provinceCode: string | null; communeCode: string | null }): boolean {
  switch (scope.level) {
    case "national":
      return true;
    case "province":
      return place.provinceCode === scope.provinceCode;
    case "commune":
      return place.communeCode === scope.communeCode;
  }
}
