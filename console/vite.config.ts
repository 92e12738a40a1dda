import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// Built into dist/, embedded in the palmaid binary (console/embed.go) and served at /console.
export default defineConfig({
  base: "/console/",
  plugins: [vue()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No inline script anywhere (the CSP forbids it): the preload helper lives in the bundle.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: true,
  },
  server: { proxy: { "/api": "http://127.0.0.1:8080", "/dev": "http://127.0.0.1:8080" } },
});
