import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precompress } from "./precompress.js";

// Built into the server's package, which serves it at `/` (each file also gzipped and
// brotli-compressed beside it); `npm run dev -w @greenlight/web` proxies the API to a server
// on the default port.
export default defineConfig({
  plugins: [react(), precompress()],
  build: { outDir: "../server/web", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/v1": "http://127.0.0.1:8787", "/auth": "http://127.0.0.1:8787" } },
});
