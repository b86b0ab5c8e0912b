import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// In development the API, the live socket and the dev outbox are served by apps/server;
// in production the server serves this build from the same origin, so no proxy is needed.
const SERVER_URL = "http://localhost:3000";
const proxied = ["/api", "/dev", "/healthz", "/readyz"];

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: "router", test: /node_modules[\\/]react-router[\\/]/ },
            { name: "zod", test: /node_modules[\\/]zod[\\/]/ },
            { name: "vendor", test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      ...Object.fromEntries(proxied.map((path) => [path, { target: SERVER_URL, changeOrigin: false }])),
      "/socket.io": { target: SERVER_URL, ws: true },
    },
  },
});
