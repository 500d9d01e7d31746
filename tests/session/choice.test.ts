import { describe, expect, it } from 'vitest';
import { hashString, seededRandom } from '../../src/session/engine.js';
import { displayOrder } from '../../src/session/kinds/choice.js';

describe('choice order on screen', () => {
  const shownPosition = (seed: number, id: string, correctIndex: number, count: number) =>
    displayOrder(count, seededRandom(seed ^ hashString(id))).indexOf(correctIndex);

  it('puts the correct choice in different places across seeds (not always where the file has it)', () => {
    for (const correct of [0, 1, 3]) {
      const positions = new Set(Array.from({ length: 40 }, (_, seed) => shownPosition(seed, 'orm-q', correct, 4)));
      expect(positions.size, `correct choice at file index ${correct}`).toBeGreaterThan(1);
      expect(positions.size).toBe(4);
    }
  });

  it('is the same order for the same seed and question, and a permutation of every choice', () => {
    const a = displayOrder(5, seededRandom(7 ^ hashString('x')));
    expect(displayOrder(5, seededRandom(7 ^ hashString('x')))).toEqual(a);
    expect([...a].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
