#!/usr/bin/env node
// Verdicts of ajv on JSON documents: node ajv-verdicts.js SCHEMA.json < {"name": value, ...}
// Prints {"name": {"valid": bool, "errors": [first three ajv errors]}}.
// The schema's $schema picks the dialect: ajv/dist/2020 for 2020-12, plain ajv for draft-07.
"use strict";
const fs = require("fs");

const schema = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const is2020 = String(schema.$schema || "").includes("2020-12");
const Ajv = is2020 ? require("ajv/dist/2020") : require("ajv");
// strict off: our annotation keywords (x-plx-*, errorMessage, markdownDescription,
// defaultSnippets) are unknown to ajv; allErrors so the verdict never depends on order.
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: true });
const validate = ajv.compile(schema);

const documents = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {};
for (const [name, value] of Object.entries(documents)) {
  const valid = validate(value);
  out[name] = {
    valid,
    errors: valid ? [] : validate.errors.slice(0, 3).map((e) => `${e.instancePath} ${e.message}`),
  };
}
process.stdout.write(JSON.stringify(out));
