import { defineConfig } from 'drizzle-kit';

// Paths are relative to the repository root, where npm runs `db:generate`.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './db/migrations',
  strict: true,
  verbose: true,
});
