#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step (Node >= 20.6 for module.register).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
