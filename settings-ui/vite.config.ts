// Builds the pages into dist/ with fingerprinted asset names (opdesk serves them under /ui/ with a
// year-long immutable cache) and a plain index.html shell that opdesk fills with the bootstrap JSON.
// Components of the Bitrix24 UI kit come in through its Vite plugin's auto-import; its Vue plugin is
// not registered (it would pull in every component and the head manager).
/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import bitrix24UIPluginVite from '@bitrix24/b24ui-nuxt/vite'
import { fileURLToPath } from 'node:url'
import { precompress } from './build/precompress.ts'

// The kit's components import its whole icon dictionary; give them the short one of the pages.
const kitIcons = fileURLToPath(new URL('./src/shared/kitIcons.ts', import.meta.url))
const kitDictionary = /[\\/]@bitrix24[\\/]b24ui-nuxt[\\/]dist[\\/]runtime[\\/]/

export default defineConfig({
  base: '/ui/',
  plugins: [
    vue(),
    bitrix24UIPluginVite({
      router: false,
      colorMode: false,
      dts: false,
      autoImport: false
    }),
    {
      name: 'opdesk-kit-icons',
      enforce: 'pre',
      resolveId(source, importer) {
        if (importer && kitDictionary.test(importer) && /(^|\/)dictionary\/icons(\.js)?$/.test(source)) return kitIcons
        return null
      }
    },
    precompress()
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    rollupOptions: {
      input: { callcard: 'callcard.html', settings: 'settings.html' },
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        // A shared chunk may be named after a module with dots in its name (runtime-core.esm-bundler);
        // opdesk recognises fingerprinted files as name-HASH.ext, so the name keeps no dots.
        chunkFileNames: (chunk) => `assets/${chunk.name.replace(/\./g, '_')}-[hash].js`,
        assetFileNames: 'assets/[name]-[hash][extname]'
      }
    }
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true
  }
})
