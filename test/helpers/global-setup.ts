import { mkdirSync, rmSync } from 'node:fs';
import { transcriptDir } from './transcript.js';

/** Before the suite: an empty transcript (test/secrets-scan.test.ts reads it after every other test). */
export default function setup(): void {
  rmSync(transcriptDir, { recursive: true, force: true });
  mkdirSync(transcriptDir, { recursive: true });
}
