// Runs the official OpenActive validator (@openactive/data-model-validator) over many
// documents in one process, offline or online.
//
// argv[2]: the validator's package folder.
// argv[3]: "offline" (loadRemoteJson: false: no activity list, no extension namespace loads)
//          or "online" (loadRemoteJson: true, as the validator, its website and its test suite
//          run it). Online, argv[4] is a remote-JSON cache folder the caller has filled with
//          the published documents (file: sha256 of the URL + ".json"); the network is
//          refused: axios' `get` is replaced by one that fails at once, so any URL outside
//          the cache fails as an unreachable server does.
// stdin:  JSON array of {"id": string, "mode": string, "doc": any}
// stdout: JSON object {id: [{path, severity, type, rule}, ...] or {crashed: message}}
'use strict';

const path = require('path');

async function main() {
  const validatorDir = path.resolve(process.argv[2]);
  const online = process.argv[3] === 'online';
  const cacheDir = process.argv[4];
  if (online) {
    if (!cacheDir) throw new Error('online needs a remote-JSON cache folder');
    const axios = require(require.resolve('axios', { paths: [validatorDir] }));
    const refuse = async (url) => {
      throw new Error(`network refused by the test harness: ${url}`);
    };
    axios.get = refuse;
    if (axios.default) axios.default.get = refuse;
  }
  const { validate } = require(validatorDir);
  const JsonLoaderHelper = require(path.join(validatorDir, 'src', 'helpers', 'json-loader'));
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const jobs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const out = {};
  for (const job of jobs) {
    // Each document starts from the cache folder alone, as a fresh run of the validator
    // would (the validator changes the documents it keeps in memory).
    JsonLoaderHelper.clearCache();
    const options = online
      ? {
        validationMode: job.mode,
        loadRemoteJson: true,
        remoteJsonCachePath: cacheDir,
        remoteJsonCacheTimeToLive: 10 * 365 * 24 * 3600,
      }
      : { validationMode: job.mode, loadRemoteJson: false };
    try {
      const results = await validate(job.doc, options);
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
