import { createHash, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Bearer ADMIN_TOKEN until admin accounts exist: 503 when no token is configured (the API is off), 401 for a
 * missing or wrong token. Digests are compared so neither the length nor the content leaks through timing.
 */
export function requireAdminToken(adminToken: string | undefined) {
  const expected = adminToken ? digest(adminToken) : null;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!expected) return void res.status(503).json({ error: "the admin API is off: set ADMIN_TOKEN" });
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      res.set("WWW-Authenticate", 'Bearer realm="admin"');
      return void res.status(401).json({ error: "missing or wrong bearer token" });
    }
    next();
  };
}
