// ESLint flat config: typescript-eslint's type-aware rules plus Pulumi's Output-in-template checks.
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
    {
        ignores: [
            "lib/",
            "node_modules/",
            "**/node_modules/",
            "policy/**/*.js",
            "bin/",
            ".toolchain/",
            "**/*.d.ts",
            // A type error on purpose (plan --transpile-only tests); not in tsconfig.json.
            "test/fixtures/plan-type-error/",
        ],
    },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { pulumi },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
    {
        // Tests and emulators may use `any` to build deliberately malformed input.
        files: ["test/**/*.ts", "bench/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        // Plain JavaScript Pulumi programs (typescript: false), as users write them: CommonJS.
        files: ["test/fixtures/**/*.js"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
