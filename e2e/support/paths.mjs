import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** axe-core's browser bundle, injected into each page it checks. */
export const AXE_PATH = join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
