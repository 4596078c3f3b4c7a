// What each part of the wasm bundle costs: the second half of `make size`. This file owns the
// breakdown. The shipped wasm has no names left, so it runs twiggy on cargo's wasm (after LTO,
// before wasm-bindgen and wasm-opt), groups twiggy's items into parts by the crate each name
// starts with, and prints the parts and the largest single items. Sizes before wasm-opt only
// approximate the shipped ones: each part is scaled by how much its section (code, data, the
// rest) shrank between the two files, as if wasm-opt shrank every function alike (it does
// not). Node's built-ins only; needs twiggy on PATH (`make size` installs it).
//
//   node end2end/tools/bundle-parts.mjs --wasm <pre-opt app.wasm> --pkg <site pkg dir> [--top 15]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    wasm: { type: 'string' },
    pkg: { type: 'string' },
    top: { type: 'string', default: '15' },
    twiggy: { type: 'string', default: 'twiggy' },
  },
});
if (!args.wasm || !args.pkg) {
  console.error('usage: node bundle-parts.mjs --wasm <pre-opt app.wasm> --pkg <site pkg dir> [--top 15]');
  process.exit(2);
}

// Parts, in the order printed: [name, which crates, which section of the shipped file]. A
// crate no part names counts as "other".
const LEPTOS = /^(leptos|leptos_\w+|tachys|reactive_graph|reactive_stores|server_fn|any_spawner|hydration_context|throw_error|or_poisoned|oco_ref|next_tuple|either_of|any_error)$/;
const PARTS = [
  ['yrs', (c) => c === 'yrs'],
  ['desk_core', (c) => c === 'desk_core'],
  ['app', (c) => c === 'app'],
  ['leptos', (c) => LEPTOS.test(c)],
  ['serde/serde_json', (c) => /^serde(_\w+)?$/.test(c)],
  ['wasm_bindgen/js_sys/web_sys', (c) => /^(wasm_bindgen(_\w+)?|js_sys|web_sys)$/.test(c)],
  // std's HashMap is hashbrown, so hashbrown counts as std here.
  ['core/alloc/std', (c) => /^(core|alloc|std|hashbrown)$/.test(c)],
  ['dlmalloc', (c) => c === 'dlmalloc'],
  ['other', (c) => !c.endsWith('[]')],
  ['data segments', (c) => c === 'data[]', 'data'],
  ['wasm structure', (c) => c === 'structure[]', 'rest'],
].map(([name, test, section = 'code']) => ({ name, test, section, bytes: 0 }));

// The crate an item comes from, by its demangled name: a path's first segment; for
// `<T as Trait>::f` T's crate, or Trait's when T is from core/alloc/std, a primitive or
// generic (`<Option<AnySubscriber> as reactive_graph::..::WithObserver>`: reactive_graph,
// `<&'a T as core::fmt::Debug>`: core); for drop glue, `core::ptr::drop_in_place<T>`, T's.
// Generic code counts where it is defined (tachys's views of the app's pages count as
// leptos). Items that are not functions get pseudo-crates: `data[]` (data segments),
// `custom[]` (custom sections, such as the names, and wasm-bindgen's descriptors:
// `__wbindgen_describe_*` exports and functions, `WasmDescribe` impls; the shipped file has
// none of them) and `structure[]` (types, imports, exports, the function table, headers).
const STD = new Set(['core', 'alloc', 'std', 'hashbrown']);
const pathCrate = (n) => /^([A-Za-z_]\w*)::/.exec(n.replace(/^(&|\*(const|mut) |mut |dyn |'\w+ )+/, ''))?.[1];
function crateOf(name) {
  if (/^data\[\d+\]$|^data segment /.test(name)) return 'data[]';
  if (/subsection$|^custom section /.test(name)) return 'custom[]';
  if (/^(export "|)__wbindgen_describe|wasm_bindgen::describe::/.test(name)) return 'custom[]';
  if (/^(type|elem|table|memory|global)\[\d+\]|^(import|export) |section headers$|^wasm magic bytes$/.test(name)) return 'structure[]';
  if (/^(__wbindgen|__wbg|__externref)/.test(name)) return 'wasm_bindgen';
  // The allocator shims, compiler-builtins and libm.
  if (/^(__rustc::|__\w+$|rust_begin_unwind$|rust_eh_personality$|mem(cpy|move|set|cmp)$|f(min|max)f?$)/.test(name)) return 'std';
  if (name.startsWith('core::ptr::drop_in_place<')) return pathCrate(name.slice(25)) ?? 'core';
  if (!name.startsWith('<')) return pathCrate(name) ?? name;
  let depth = 0, as = -1, end = name.length;
  for (let i = 0; i < name.length && end === name.length; i++) {
    if (name[i] === '<') depth++;
    else if (name[i] === '>' && --depth === 0) end = i;
    else if (depth === 1 && as < 0 && name.startsWith(' as ', i)) as = i;
  }
  const self = pathCrate(name.slice(1, as < 0 ? end : as));
  const trait = as < 0 ? undefined : pathCrate(name.slice(as + 4, end));
  return self && !STD.has(self) ? self : (trait ?? self ?? 'core');
}

// Bytes of a wasm file per section: code (10), data (11) and the rest.
function sections(file) {
  const buf = readFileSync(file);
  const sizes = { code: 0, data: 0, rest: 8 };
  let p = 8;
  while (p < buf.length) {
    const start = p;
    const id = buf[p++];
    let len = 0;
    for (let shift = 0, b = 0x80; b & 0x80; shift += 7) len += ((b = buf[p++]) & 0x7f) * 2 ** shift;
    p += len;
    sizes[id === 10 ? 'code' : id === 11 ? 'data' : 'rest'] += p - start;
  }
  return sizes;
}

// The shipped files of the newest build: the main file and what `--split` cut from it (each
// `split_*` file and the `chunk_*` files they share), since twiggy reads them as one. Earlier
// builds' files (older hashes) may lie beside them: only those written within a minute of the
// newest count.
const wasms = readdirSync(args.pkg)
  .filter((f) => f.endsWith('.wasm'))
  .map((f) => ({ f, ...statSync(join(args.pkg, f)) }))
  .sort((a, b) => b.mtimeMs - a.mtimeMs);
if (wasms.length === 0) throw new Error(`no .wasm in ${args.pkg}`);
const build = wasms.filter((w) => wasms[0].mtimeMs - w.mtimeMs < 60_000);
const mains = build.filter((w) => !/^(split_|chunk_)/.test(w.f));
if (mains.length !== 1) throw new Error(`expected one main .wasm among the newest build's files in ${args.pkg}, found: ${build.map((w) => w.f).join(', ')}`);
const shipped = build.map((w) => join(args.pkg, w.f));
const shippedNames = build.length === 1 ? build[0].f : `${build.length} files together (${build.map((w) => w.f).join(', ')})`;

let items;
try {
  const json = execFileSync(args.twiggy, ['top', '-n', '1000000000', '--format', 'json', args.wasm], {
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  items = JSON.parse(json);
} catch (error) {
  console.error(`bundle-parts: twiggy failed on ${args.wasm} (${error.message.split('\n')[0]})`);
  process.exit(1);
}
if (!items.some((i) => i.name === '"function names" subsection')) {
  console.log(`(${args.wasm} has no function names: the parts below cannot tell crates apart)`);
}
const otherCrates = new Map();
const pre = { code: 0, data: 0, rest: 0 };
let gone = 0; // custom sections and wasm-bindgen's descriptors: not in the shipped file
const counted = [];
for (const item of items) {
  // v0-mangled names (std's) carry crate disambiguators: core[c5930c85a12de822]::fmt.
  const name = item.name.replace(/\[[0-9a-f]{16}\]/g, '');
  const size = item.shallow_size;
  const crate = crateOf(name);
  if (crate === 'custom[]') {
    gone += size;
    continue;
  }
  const part = PARTS.find((p) => p.test(crate));
  part.bytes += size;
  pre[part.section] += size;
  if (part.name === 'other') otherCrates.set(crate, (otherCrates.get(crate) ?? 0) + size);
  counted.push({ name, size });
}
const total = pre.code + pre.data + pre.rest;
const post = shipped.map(sections).reduce((a, b) => ({ code: a.code + b.code, data: a.data + b.data, rest: a.rest + b.rest }));
const scale = { code: post.code / pre.code, data: post.data / pre.data, rest: post.rest / pre.rest };

const pct = (n) => `${((100 * n) / total).toFixed(1)} %`;
const row = (a, b, c, d) => console.log(`${a.padEnd(40)} ${String(b).padStart(10)} ${String(c).padStart(8)} ${String(d).padStart(10)}`);
console.log();
console.log(`wasm by part: twiggy on ${args.wasm}, before wasm-bindgen and wasm-opt`);
row('part', 'pre-opt', 'share', '~shipped');
for (const p of PARTS) if (p.bytes > 0) row(p.name, p.bytes, pct(p.bytes), Math.round(p.bytes * scale[p.section]));
row('total', total, '100.0 %', post.code + post.data + post.rest);
const others = [...otherCrates].sort((a, b) => b[1] - a[1]);
console.log(`other: ${others.slice(0, 8).map(([c, b]) => `${c} ${b}`).join(', ')}${others.length > 8 ? ', …' : ''}`);
const f = (section) => `${section} ×${scale[section].toFixed(3)} (${pre[section]} → ${post[section]} B)`;
console.log(
  `~shipped: an estimate, each part scaled by its section's shrinkage to ${shippedNames}: ${f('code')},` +
    ` ${f('data')}, ${f('rest')}. Not counted: ${gone} B of names, other custom sections and wasm-bindgen's descriptors, none of them shipped.`,
);

const top = Number(args.top);
console.log();
console.log(`largest ${top} items (pre-opt; one name twice: two instances of a generic function)`);
for (const { name, size } of counted.sort((a, b) => b.size - a.size).slice(0, top)) {
  let shown = name.replace(/::h[0-9a-f]{16}(\.\d+)?$/, '');
  if (shown.length > 100) shown = shown.slice(0, 99) + '…';
  console.log(`${String(size).padStart(8)} ${pct(size).padStart(7)}  ${shown}`);
}
