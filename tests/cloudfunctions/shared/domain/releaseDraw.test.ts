import { drawPhase, drawRuleOf, drawSentence, drawWindow, seededRandom, shuffled } from '../../../../cloudfunctions/shared/domain/releaseDraw';

const ZONE = 'Asia/Shanghai';
// 07:00 Beijing on 2026-11-22.
const opensAt = new Date('2026-11-21T23:00:00Z');
const window = drawWindow(opensAt, { windowSeconds: 30 });
const at = (ms: number) => new Date(opensAt.getTime() + ms);

describe('release by draw: the window', () => {
  test.each([
    ['1 ms before release', -1, 'not_released'],
    ['at the release instant', 0, 'collecting'],
    ['at +29 s', 29_000, 'collecting'],
    ['at +29.999 s', 29_999, 'collecting'],
    ['at +30 s (first-come / resolution)', 30_000, 'closed'],
    ['at +31 s', 31_000, 'closed'],
  ])('%s', (_label, offset, phase) => {
    expect(drawPhase(window, at(offset))).toBe(phase);
  });

  test('tells the patient the window and when the result comes, in hospital time', () => {
    expect(drawSentence(window, ZONE)).toBe('本号源 07:00-07:00:30 内的预约将随机分配，结果将在 07:00:31 告诉您');
    expect(drawSentence(drawWindow(opensAt, { windowSeconds: 90 }), ZONE)).toBe('本号源 07:00-07:01:30 内的预约将随机分配，结果将在 07:01:31 告诉您');
    expect(window.resultAt.toISOString()).toBe('2026-11-21T23:00:31.000Z');
  });

  test.each([
    ['neither configured: first-come', {}, {}, null],
    ['department draw, default window', {}, { draw: {} }, { windowSeconds: 30 }],
    ['department draw, 60 s', {}, { draw: { windowSeconds: 60 } }, { windowSeconds: 60 }],
    ['doctor draw wins over a first-come department', { draw: { windowSeconds: 20 } }, {}, { windowSeconds: 20 }],
    ['doctor opts out of the department draw', { draw: null }, { draw: { windowSeconds: 30 } }, null],
    ['nonsense window falls back to 30 s', { draw: { windowSeconds: -5 } }, {}, { windowSeconds: 30 }],
  ])('%s', (_label, doctor, department, expected) => {
    expect(drawRuleOf(doctor, department)).toEqual(expected);
  });
});

describe('release by draw: the shuffle is uniform', () => {
  test('each of 6 entrants wins one of 2 places equally often (chi-square, 6,000 draws, fixed seed)', () => {
    const random = seededRandom(20261122);
    const wins = [0, 0, 0, 0, 0, 0];
    const entrants = [0, 1, 2, 3, 4, 5];
    for (let draw = 0; draw < 6000; draw += 1) for (const winner of shuffled(entrants, random).slice(0, 2)) wins[winner] += 1;
    const expected = (6000 * 2) / 6;
    const chiSquare = wins.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    // 5 degrees of freedom: P(chi-square > 20.515) = 0.001.
    expect(chiSquare).toBeLessThan(20.515);
  });

  test('every position of a 3-person order is equally likely (chi-square over the 6 orders)', () => {
    const random = seededRandom(7);
    const counts = new Map<string, number>();
    for (let draw = 0; draw < 6000; draw += 1) {
      const key = shuffled(['a', 'b', 'c'], random).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chiSquare = [...counts.values()].reduce((sum, observed) => sum + (observed - 1000) ** 2 / 1000, 0);
    expect(chiSquare).toBeLessThan(20.515);
  });

  test('a biased shuffle would fail the same test (the test can fail)', () => {
    const random = seededRandom(1);
    const wins = [0, 0, 0, 0, 0, 0];
    // The classic mistake: swapping with any index, not only the ones not yet placed.
    for (let draw = 0; draw < 6000; draw += 1) {
      const order = [0, 1, 2, 3, 4, 5];
      for (let index = 0; index < 6; index += 1) {
        const pick = Math.floor(random() * 6);
        [order[index], order[pick]] = [order[pick], order[index]];
      }
      for (const winner of order.slice(0, 2)) wins[winner] += 1;
    }
    const chiSquare = wins.reduce((sum, observed) => sum + (observed - 2000) ** 2 / 2000, 0);
    expect(chiSquare).toBeGreaterThan(20.515);
  });

  test('the same seed gives the same draw; the input is left as it was', () => {
    const input = ['x', 'y', 'z', 'w'];
    expect(shuffled(input, seededRandom(3))).toEqual(shuffled(input, seededRandom(3)));
    expect(input).toEqual(['x', 'y', 'z', 'w']);
  });
});
