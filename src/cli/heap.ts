/**
 * V8 heap sizing for the main thread, imported first by the entry point so that it applies
 * before the heap grows. The main thread of a run only cuts chunks, collects results and
 * writes; with V8's default young generation (semi-spaces up to 16 MB) its short-lived garbage
 * held peak RSS 10-30 MB higher at the same speed (1M bench rows, three runs each: 164-182 MB
 * against 192-196 MB). Worker threads set their own young generation (see pipeline/pool.ts).
 * The semi-space limit is read as the young generation grows, so setting it here takes effect.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--max-semi-space-size=4');
