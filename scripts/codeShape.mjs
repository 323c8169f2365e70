#!/usr/bin/env node
// Sizes a newcomer feels: lines per source file and per function, against the limits the code keeps
// (500 lines a file, 100 a function; files named for seed or catalog data may hold longer literal tables).
// `node scripts/codeShape.mjs [--check] [folder]` lists what is over; --check exits 1 if anything is.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const FILE_LIMIT = 500;
const FUNCTION_LIMIT = 100;
const args = process.argv.slice(2);
const check = args.includes('--check');
const root = args.find((a) => !a.startsWith('--')) ?? 'src';

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

const isData = (path) => /seed|catalog/i.test(path);
const over = [];
let files = 0;
let longestFunction = { lines: 0, where: '' };
let longestFile = { lines: 0, where: '' };
for (const path of sourceFiles(root)) {
  files++;
  const text = readFileSync(path, 'utf8');
  const rel = relative(process.cwd(), path);
  const lines = text.split('\n').length;
  if (lines > longestFile.lines && !isData(path)) longestFile = { lines, where: rel };
  if (lines > FILE_LIMIT && !isData(path)) over.push(`${rel}: ${lines} lines`);
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.end).line;
      const span = end - start + 1;
      const name = node.name ? node.name.getText(source) : '(anonymous)';
      const where = `${rel}:${start + 1} ${name}`;
      if (span > longestFunction.lines) longestFunction = { lines: span, where };
      if (span > FUNCTION_LIMIT && !isData(path)) over.push(`${where}: ${span} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
console.log(`${files} files under ${root}; longest file ${longestFile.lines} (${longestFile.where}); longest function ${longestFunction.lines} (${longestFunction.where})`);
for (const line of over) console.log(`  over: ${line}`);
console.log(`${over.length} over the limits (${FILE_LIMIT} lines a file, ${FUNCTION_LIMIT} a function)`);
if (check && over.length > 0) process.exit(1);
