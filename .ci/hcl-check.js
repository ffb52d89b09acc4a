// HCL syntax check of every .tf file with HashiCorp's own parser (compiled to wasm, runs offline).
const { parse } = require('@cdktf/hcl2json');
const fs = require('fs');
(async () => {
  let failed = 0;
  for (const f of process.argv.slice(2)) {
    try { await parse(f, fs.readFileSync(f, 'utf8')); } catch (e) { failed++; console.error(f + ': ' + e); }
  }
  console.log(`hcl syntax: ${process.argv.length - 2} files, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
