import helmet from "helmet";
import type { RequestHandler } from "express";

/** Security headers: a CSP that allows our own scripts, same-origin WebSockets and LiveKit. */
export function securityHeaders(options: { livekitUrl?: string; production: boolean }): RequestHandler {
  const connect = ["'self'"];
  if (options.livekitUrl) {
    const lk = new URL(options.livekitUrl);
    const wsScheme = lk.protocol === "https:" || lk.protocol === "wss:" ? "wss:" : "ws:";
    const httpScheme = wsScheme === "wss:" ? "https:" : "http:";
    connect.push(`${wsScheme}//${lk.host}`, `${httpScheme}//${lk.host}`);
  }
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": connect,
        "media-src": ["'self'", "blob:"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        ...(options.production ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: options.production,
  });
}
