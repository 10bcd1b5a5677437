import { check } from 'recheck';
import { readFileSync, readdirSync } from 'node:fs';
const files = readdirSync('src/pipeline/capture').map((f) => `src/pipeline/capture/${f}`).concat(readdirSync('src/core/project').map((f) => `src/core/project/${f}`));
const found: { file: string; re: RegExp }[] = [];
// Collect regex literals by evaluating the module's exported/internal regexes is hard; instead import the modules and scan their source for /.../flags literals.
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  for (const m of src.matchAll(/(?<=[=(,:!&|?]\s*)\/((?:[^/\\\n\[]|\\.|\[(?:[^\]\\]|\\.)*\])+)\/([dgimsuyv]*)/g)) {
    try { found.push({ file: f, re: new RegExp(m[1]!, m[2]!.replace(/[gy]/g, '')) }); } catch {}
  }
}
const n = await import('./src/pipeline/capture/normalize.ts');
for (const [k, v] of Object.entries(n)) if (v instanceof RegExp) found.push({ file: `normalize.${k}`, re: v });
console.log(found.length, 'literals');
for (const { file, re } of found) {
  const r = await check(re.source, re.flags.replace(/[gy]/g, ''), { timeout: 5000 });
  if (r.status !== 'safe') {
    let ms = -1;
    if (r.attack) { const s = (r.attack.pumps?.map((p: any) => p.prefix + p.pump.repeat(Math.ceil(4000 / Math.max(1, p.pump.length)))).join('') ?? '') + (r.attack.suffix ?? ''); const t = performance.now(); new RegExp(re.source, re.flags.replace(/[gy]/g, '')).exec(s.slice(0, 4000)); ms = performance.now() - t; }
    console.log(file, r.status, r.complexity?.type ?? '', r.complexity?.summary ?? '', re.source.slice(0, 90), ms.toFixed(1));
  }
}
process.exit(0);
