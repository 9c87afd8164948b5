import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RejectGroups, LINES_PER_GROUP, SHOWN_GROUPS, TRACKED_GROUPS } from '../../src/pipeline/reject-groups.js';
import { csvRow } from '../../src/output/csv-writer.js';

describe('rejects grouped by reason', () => {
  it('counts each reason exactly with its first lines, largest first, the rest as other (against a Map)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 400 }), (reasons) => {
        const groups = new RejectGroups();
        const expected = new Map<string, number[]>();
        reasons.forEach((r, i) => {
          const reason = `reason ${r}`;
          groups.addRow(i + 2, reason);
          expected.set(reason, [...(expected.get(reason) ?? []), i + 2]);
        });
        const sorted = [...expected].sort((a, b) => b[1].length - a[1].length || a[1][0]! - b[1][0]!);
        const summary = groups.summary();
        expect(summary.groups).toEqual(
          sorted.slice(0, SHOWN_GROUPS).map(([reason, lines]) => ({ reason, rows: lines.length, lines: lines.slice(0, LINES_PER_GROUP) })),
        );
        const rest = sorted.slice(SHOWN_GROUPS).flatMap(([, lines]) => lines);
        expect(summary.other).toEqual(
          rest.length > 0 ? { rows: rest.length, lines: rest.sort((a, b) => a - b).slice(0, LINES_PER_GROUP) } : null,
        );
      }),
    );
  });

  it('stays flat for a million distinct reasons: reasons first seen past the cap count as other', () => {
    const groups = new RejectGroups();
    for (let line = 1; line <= 1_000_000; line++) groups.addRow(line, `room: "r ${line}" has characters Daily does not allow`);
    // The largest reason of all, but first seen once TRACKED_GROUPS reasons were: it is not kept apart.
    for (let i = 0; i < 50; i++) groups.addRow(1_000_001 + i, 'a reason first seen after the cap');
    const summary = groups.summary();
    expect(summary.groups).toHaveLength(SHOWN_GROUPS);
    expect(summary.groups.every((g) => g.rows === 1)).toBe(true);
    expect(summary.other).toEqual({ rows: 1_000_050 - SHOWN_GROUPS, lines: [21, 22, 23, 24, 25] });
  });

  it('keeps the first TRACKED_GROUPS reasons apart, exactly', () => {
    const groups = new RejectGroups();
    for (let line = 1; line <= TRACKED_GROUPS; line++) groups.addRow(line, `reason ${line}`);
    for (let i = 0; i < 50; i++) groups.addRow(TRACKED_GROUPS + 1 + i, `reason ${TRACKED_GROUPS}`);
    expect(groups.summary().groups[0]).toEqual({
      reason: `reason ${TRACKED_GROUPS}`,
      rows: 51,
      lines: [TRACKED_GROUPS, TRACKED_GROUPS + 1, TRACKED_GROUPS + 2, TRACKED_GROUPS + 3, TRACKED_GROUPS + 4],
    });
  });

  it('reads the rejects CSV as a run writes it, as text or as UTF-8 bytes from a worker; long reasons are cut', () => {
    const long = `user_name: "${'é'.repeat(500)}" is too long`;
    const csv =
      csvRow(['7', 'room: "a, "b"\nc" is bad', 'a, "b"\nc', 'x'], false) +
      csvRow(['9', long, 'y', 'z'], false) +
      csvRow(['12', 'room: "a, "b"\nc" is bad', 'q', ''], false);
    for (const input of [csv, new TextEncoder().encode(csv)]) {
      const groups = new RejectGroups();
      groups.add(input);
      groups.add('');
      const summary = groups.summary();
      expect(summary.groups).toEqual([
        { reason: 'room: "a, "b"\nc" is bad', rows: 2, lines: [7, 12] },
        { reason: `${long.slice(0, 300)}...`, rows: 1, lines: [9] },
      ]);
      expect(summary.other).toBeNull();
    }
  });
});
