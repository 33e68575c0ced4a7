#!/usr/bin/env node
// npm `bin` entry: registers tsx's ESM loader so the TypeScript CLI runs without a build step, then hands over.
import { register } from 'tsx/esm/api';

register();
await import('./okta-flow.ts');
