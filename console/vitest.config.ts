// Component tests of the console's forms and lists (npm test; .ci/console-build runs them):
// Vue components mounted in happy-dom with Element Plus, the API answered by a stubbed fetch.
import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";

export default defineConfig({
  plugins: [vue()],
  test: { environment: "happy-dom", testTimeout: 30000, include: ["src/**/*.test.ts"], css: { include: [/style\.css/] } },
});
