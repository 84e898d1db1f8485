import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "db/migrations/", "coverage/", ".scratch/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": "off",
    },
  },
  {
    files: ["bench/**/*.mjs"],
    languageOptions: { globals: { process: "readonly" } },
  },
  {
    files: ["src/http/webchat/**/*.js", "src/admin/static/**/*.js"],
    languageOptions: { globals: { document: "readonly", window: "readonly", fetch: "readonly", localStorage: "readonly", HTMLInputElement: "readonly", HTMLFormElement: "readonly", setTimeout: "readonly" } },
  },
);
