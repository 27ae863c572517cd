import { defineConfig } from 'drizzle-kit';

// One migration folder for every part's tables (ARCHITECTURE.md §4: a part owns its schema.ts; a part
// made of sub-parts, such as exchange/, may keep one schema.ts per sub-part).
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/*/schema.ts', './src/*/*/schema.ts'],
  out: './src/store/migrations',
});
