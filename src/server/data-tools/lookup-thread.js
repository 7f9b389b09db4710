// Entry of the invite look-up thread: a worker starts without the parent's loaders, so it
// registers tsx itself before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./lookup-thread.ts');
