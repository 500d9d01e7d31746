/**
 * Build time only (scripts/build.mjs): parses the built-in bank into the seed that ships as
 * `dist/bank-seed.json` (see shipped.ts). Never imported by the CLI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_ID } from '../build-id.js';
import { sourcePath, topicSources } from './load.js';
import { loadFrontmatterParser, parseQuestion, parseTopicInfo } from './parse.js';
import { contentKey, SEED_VERSION, seedParts, type Seed, type SeedBodies } from './shipped.js';

export async function buildSeed(root: string): Promise<{ seed: Seed; bodies: SeedBodies }> {
  await loadFrontmatterParser();
  const seed: Seed = { v: SEED_VERSION, build: BUILD_ID, files: {}, topics: {} };
  const bodies: SeedBodies = { v: SEED_VERSION, build: BUILD_ID, bodies: {} };
  for (const source of await topicSources(root)) {
    if (source.topicFile) {
      const text = readFileSync(source.topicFile, 'utf8');
      const { info, problems } = parseTopicInfo(text, source.folder, '');
      seed.topics[`${source.folder}/_topic.md`] = { h: contentKey(text), r: { info, problems } };
    }
    for (let i = 0; i < source.names.length; i++) {
      const path = sourcePath(source, i);
      const text = readFileSync(path, 'utf8');
      const key = `${source.folder}/${source.names[i] as string}`;
      const { r, body } = seedParts(parseQuestion(text, path, source.folder));
      seed.files[key] = { h: contentKey(text), r };
      if (body) bodies.bodies[key] = body;
    }
  }
  return { seed, bodies };
}

/** Writes the seed of `root` into the folder `out`; returns the number of question files in it. */
export async function writeSeed(root: string, out: string): Promise<number> {
  const { seed, bodies } = await buildSeed(root);
  writeFileSync(join(out, 'bank-seed.json'), JSON.stringify(seed));
  writeFileSync(join(out, 'bank-seed-bodies.json'), JSON.stringify(bodies));
  return Object.keys(seed.files).length;
}
