#!/usr/bin/env node
// Writes the OpenAPI document docs/openapi.yaml as docs/openapi.json, the copy the C++ build
// embeds into baikal-manager and the tests validate answers against (the build needs no npm).
// Usage: yaml-to-json.js YAML JSON            writes JSON
//        yaml-to-json.js --check YAML JSON    fails, naming the command to run, when JSON is not
//                                             what YAML gives
'use strict';

const fs = require('fs');
const yaml = require('js-yaml');

const args = process.argv.slice(2);
const check = args[0] === '--check';
const [yamlPath, jsonPath] = check ? args.slice(1) : args;
if (!yamlPath || !jsonPath) {
  console.error('usage: yaml-to-json.js [--check] YAML JSON');
  process.exit(2);
}

const doc = yaml.load(fs.readFileSync(yamlPath, 'utf8'), { schema: yaml.JSON_SCHEMA });
const text = JSON.stringify(doc, null, 2) + '\n';

if (!check) {
  fs.writeFileSync(jsonPath, text);
  process.exit(0);
}
const current = fs.existsSync(jsonPath) ? fs.readFileSync(jsonPath, 'utf8') : '';
if (current !== text) {
  console.error(`${jsonPath} is not what ${yamlPath} gives: run "npm run generate" in ` +
                'tests/openapi and commit docs/openapi.json with the YAML');
  process.exit(1);
}
console.log(`${jsonPath} matches ${yamlPath}`);
