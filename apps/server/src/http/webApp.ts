import express, { type Router } from "express";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Serves the built single-page app, with index.html for any client-side route. */
export function webAppRouter(distDir: string): Router | null {
  const index = join(distDir, "index.html");
  if (!existsSync(index)) return null;
  const router = express.Router();
  router.use(
    "/assets",
    express.static(join(distDir, "assets"), { immutable: true, maxAge: "1y", index: false }),
  );
  router.use(express.static(distDir, { index: false, maxAge: "1h" }));
  router.get(/^\/(?!api\/|socket\.io\/|dev\/|healthz$|readyz$|metrics$).*/, (req, res, next) => {
    if (!req.accepts("html")) return next();
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
  return router;
}
