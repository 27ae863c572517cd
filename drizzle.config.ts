import { defineConfig } from 'drizzle-kit';

// One migration folder for every part's tables (ARCHITECTURE.md §4: a part owns its schema.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/*/schema.ts',
  out: './src/store/migrations',
});
