// Writes a gzip twin (name.gz) next to every text asset of the build, so opdesk can answer
// `Accept-Encoding: gzip` by sending the twin as it is, without compressing per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

const compressible = /\.(js|css|html|svg|json|txt|map)$/

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

export function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'opdesk:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/')
        ? config.build.outDir
        : join(config.root, config.build.outDir)
    },
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!compressible.test(file)) continue
        const raw = readFileSync(file)
        const packed = gzipSync(raw, { level: 9 })
        // Tiny files gain nothing and cost a second request path; keep only real savings.
        if (packed.length < raw.length * 0.9) writeFileSync(`${file}.gz`, packed)
      }
    }
  }
}
