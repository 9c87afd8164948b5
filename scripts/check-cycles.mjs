// Fails when the folders of src/ import each other in a cycle (a -> b -> ... -> a).
// Reads every import with the TypeScript compiler's pre-processor, so no build is needed.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', process.argv[2] ?? 'src');

/** @returns {string[]} */
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The folder under src/ a file belongs to; a file directly in src/ stands for itself. */
function folderOf(file) {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.js$/, '.ts');
}

/** @type {Map<string, Map<string, string>>} folder -> folder it imports -> one file doing it */
const edges = new Map();
for (const file of sourceFiles(root)) {
  const from = folderOf(file);
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const to = folderOf(resolve(dirname(file), fileName));
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, relative(root, file));
  }
}

// Tarjan's strongly connected components: any component of more than one folder is a cycle.
let index = 0;
const indices = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function visit(v) {
  indices.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!indices.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indices.get(w)));
  }
  if (low.get(v) === indices.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const folder of edges.keys()) if (!indices.has(folder)) visit(folder);

if (cycles.length === 0) {
  process.stdout.write(`no import cycle between the folders of ${relative(process.cwd(), root) || '.'}/\n`);
} else {
  for (const component of cycles) {
    process.stderr.write(`import cycle between folders: ${component.join(', ')}\n`);
    for (const from of component)
      for (const [to, file] of edges.get(from) ?? [])
        if (component.includes(to)) process.stderr.write(`  ${from} -> ${to} (e.g. ${file})\n`);
  }
  process.exitCode = 1;
}
