// Runs the official OpenActive validator (@openactive/data-model-validator) over many
// documents in one process, offline (loadRemoteJson: false).
// stdin:  JSON array of {"id": string, "mode": string, "doc": any}
// stdout: JSON object {id: [{path, severity, type, rule}, ...] or {crashed: message}}
// The validator's location comes from argv[2] (the package folder).
'use strict';

const path = require('path');

async function main() {
  const validatorDir = process.argv[2];
  const { validate } = require(path.resolve(validatorDir));
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const jobs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const out = {};
  for (const job of jobs) {
    try {
      const results = await validate(job.doc, {
        validationMode: job.mode,
        loadRemoteJson: false,
      });
      out[job.id] = results.map((r) => ({
        path: r.path,
        severity: r.severity,
        type: r.type,
        rule: r.rule,
      }));
    } catch (err) {
      // The validator itself fails on some inputs (e.g. a non-string @type).
      out[job.id] = { crashed: String(err && err.message ? err.message : err) };
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
