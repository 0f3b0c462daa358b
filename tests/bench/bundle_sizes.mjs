// Gzipped sizes of what a page of settings-ui/dist loads: the files its HTML names (entry script,
// CSS, modulepreloads), and the chunks reachable from there through imports — static and lazy
// (a chunk names the files it needs as "./name-hash.js" or "assets/name-hash.css"). Shared by
// the call card's and the settings pages' benchmarks.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

export function gz(path) {
  return existsSync(`${path}.gz`) ? readFileSync(`${path}.gz`).length : gzipSync(readFileSync(path), { level: 9 }).length
}

// The asset files (assets/...) that `file` names.
function refs(dist, file) {
  const text = readFileSync(join(dist, file), 'utf8')
  const names = new Set(readdirSync(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f)))
  const out = new Set()
  for (const m of text.matchAll(/(?:assets\/|\.\/|\/ui\/assets\/)([\w.-]+\.(?:js|css))/g)) {
    if (names.has(m[1])) out.add(`assets/${m[1]}`)
  }
  return out
}

// Files reachable from `start`; files in `loaded` (already on the page) are neither counted nor
// followed.
export function closure(dist, start, loaded = new Set()) {
  const seen = new Set()
  const queue = [...start]
  while (queue.length > 0) {
    const f = queue.shift()
    if (seen.has(f) || loaded.has(f)) continue
    seen.add(f)
    if (f.endsWith('.js')) for (const r of refs(dist, f)) if (!seen.has(r)) queue.push(r)
  }
  return seen
}

// { initial: Set, all: Set } for dist/<html>.
export function pageFiles(dist, html) {
  const text = readFileSync(join(dist, html), 'utf8')
  const initial = new Set([...text.matchAll(/(?:src|href)="\/ui\/(assets\/[^"]+)"/g)].map((m) => m[1]))
  return { initial, all: closure(dist, initial) }
}

export function sumGz(dist, files) {
  return [...files].reduce((a, f) => a + gz(join(dist, f)), 0)
}

export const kb = (n) => (n / 1024).toFixed(1)
