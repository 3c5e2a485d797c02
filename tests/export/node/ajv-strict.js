#!/usr/bin/env node
// SchemaStore's Ajv check (cli.js `ajvFactory` + `check`), for tests/test_schemastore_rules.py:
//   node ajv-strict.js SCHEMA.json KEYWORDS.json < {"name": document, ...}
// KEYWORDS.json: the schema's `options.unknownKeywords` in SchemaStore's schema-validation.jsonc.
// Prints {"strict": [...], "compiled": bool, "error": str|null, "verdicts": {...}}:
// * strict: every Ajv full-strict-mode finding ({"rule": "strictTypes"|..., "message": str}),
//   collected with strict: "log" so all of them are listed, not only the first;
// * compiled/error/verdicts: the schema compiled as SchemaStore does for a schema listed in
//   `ajvNotStrictMode` (strictSchema still on, so an unregistered keyword fails), and the verdict
//   of each document.
"use strict";
const fs = require("fs");

// cli.js ajvFactory(): annotation keywords SchemaStore registers for every schema.
const SCHEMASTORE_KEYWORDS = [
  "allowTrailingCommas", "defaultSnippets", "markdownDescription", "enumDescriptions",
  "markdownEnumDescriptions", "x-taplo", "x-taplo-info", "x-tombi-toml-version",
  "x-tombi-array-values-order", "x-tombi-array-values-order-by", "x-tombi-table-keys-order",
  "x-tombi-string-formats", "x-tombi-additional-key-label", "x-intellij-language-injection",
  "x-intellij-html-description", "x-intellij-enum-metadata",
];

const schema = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const extra = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const is2020 = String(schema.$schema || "").includes("2020-12");
const Ajv = is2020 ? require("ajv/dist/2020") : require("ajv");

function make(options) {
  const ajv = new Ajv(options);
  for (const keyword of SCHEMASTORE_KEYWORDS.concat(extra)) ajv.addKeyword(keyword);
  return ajv;
}

const strict = [];
const logger = {
  log() {},
  warn(...args) {
    const message = args.join(" ");
    const rule = /\((strict\w+)\)\s*$/.exec(message);
    // strictTuples findings carry no "(strictTuples)" suffix; unknown keywords/formats are strictSchema
    const name = rule ? rule[1] : /is \d+-tuple/.test(message) ? "strictTuples" : "strictSchema";
    strict.push({ rule: name, message });
  },
  error(...args) {
    strict.push({ rule: "error", message: args.join(" ") });
  },
};
try {
  make({ strict: "log", logger }).compile(schema);
} catch (err) {
  strict.push({ rule: "error", message: String(err && err.message) });
}

const out = { strict, compiled: false, error: null, verdicts: {} };
let validate;
try {
  // fullStrictMode = false in ajvFactory()
  validate = make({ strictTypes: false, strictTuples: false, allowMatchingProperties: true }).compile(schema);
  out.compiled = true;
} catch (err) {
  out.error = String(err && err.message);
}
if (validate) {
  const documents = JSON.parse(fs.readFileSync(0, "utf8"));
  for (const [name, value] of Object.entries(documents)) {
    const valid = validate(value);
    out.verdicts[name] = {
      valid,
      errors: valid ? [] : validate.errors.slice(0, 3).map((e) => `${e.instancePath} ${e.message}`),
    };
  }
}
process.stdout.write(JSON.stringify(out));
