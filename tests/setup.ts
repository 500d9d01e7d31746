/** In every test file: remove the temp folders made by helpers' tempDir() when the file is done. */
import { afterAll } from 'vitest';
import { removeMadeTempDirs } from './temp-dirs.js';

afterAll(removeMadeTempDirs);
