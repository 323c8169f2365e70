// Creates test-results/, where the test runs write their TAP for the reliability report.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

mkdirSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results'), { recursive: true });
