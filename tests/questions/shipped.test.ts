/**
 * The shipped seed of the built-in bank: a file is taken from it only when its content is the
 * content the seed was made from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBank } from '../../src/questions/load.js';
import { buildSeed } from '../../src/questions/seed-build.js';
import { fromSeed, topicFromSeed } from '../../src/questions/shipped.js';
import { questionFile, writeBank } from '../helpers.js';

describe('bank seed', () => {
  it('gives back exactly what the parser gives, with and without bodies', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }, { id: 'orm-b', type: 'choice' }], views: [{ id: 'views-a', tags: ['cbv'] }] });
    const { seed, bodies } = await buildSeed(root);
    const parsed = await loadBank([root]);
    for (const q of parsed.bank.questions) {
      const text = readFileSync(q.file, 'utf8');
      expect(fromSeed(seed, bodies, root, q.file, text)).toEqual({ question: q, problems: [] });
      const bodiless = fromSeed(seed, undefined, root, q.file, text)?.question;
      expect(bodiless).toMatchObject({ id: q.id, title: q.title, tags: q.tags, answer: '', prompt: '', keypoints: [], followUps: [] });
    }
    const topicFile = join(root, 'orm', '_topic.md');
    expect(topicFromSeed(seed, root, topicFile, readFileSync(topicFile, 'utf8'))?.info).toEqual(parsed.bank.topics.find((t) => t.name === 'orm'));
  });

  it('is not used for a file whose content changed, even by one letter at the same size', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a', title: 'Title AAAA' }] });
    const { seed, bodies } = await buildSeed(root);
    const file = join(root, 'orm', 'orm-a.md');
    const before = readFileSync(file, 'utf8');
    expect(fromSeed(seed, bodies, root, file, before)?.question?.title).toBe('Title AAAA');
    const after = before.replace('Title AAAA', 'Title AAAB');
    expect(after.length).toBe(before.length);
    expect(fromSeed(seed, bodies, root, file, after)).toBeUndefined();
    expect(fromSeed(seed, bodies, root, join(root, 'orm', 'other.md'), before)).toBeUndefined(); // not in the seed
    writeFileSync(file, questionFile({ id: 'orm-a', title: 'Title AAAB' }));
    expect((await loadBank([root])).bank.questions[0]?.title).toBe('Title AAAB');
  });

  it('stores no absolute path: a seed made in one folder serves the bank in another', async () => {
    const root = writeBank({ orm: [{ id: 'orm-a' }] });
    const { seed, bodies } = await buildSeed(root);
    expect(JSON.stringify(seed)).not.toContain(root);
    expect(JSON.stringify(bodies)).not.toContain(root);
    const moved = writeBank({ orm: [{ id: 'orm-a' }] });
    const file = join(moved, 'orm', 'orm-a.md');
    expect(fromSeed(seed, bodies, moved, file, readFileSync(file, 'utf8'))?.question?.file).toBe(file);
  });
});
