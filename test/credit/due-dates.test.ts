import fc from 'fast-check';
import { addMonths, chinaDate, dueDates, instalmentsDue } from '../../src/credit';

describe('due dates: instalment k falls due k months after acceptance (China time)', () => {
  it('keeps the day of the month, or the last day of a shorter month', () => {
    expect(dueDates('2026-01-31', 4)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    expect(dueDates('2027-12-31', 2)).toEqual(['2028-01-31', '2028-02-29']);
    expect(dueDates('2026-09-15', 3)).toEqual(['2026-10-15', '2026-11-15', '2026-12-15']);
  });

  it('takes the calendar day in China: 20:00 UTC is already the next day there', () => {
    expect(chinaDate(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(chinaDate(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
  });

  it('counts the instalments due on or before a date', () => {
    expect(instalmentsDue('2026-01-31', '2026-02-27', 12)).toBe(0);
    expect(instalmentsDue('2026-01-31', '2026-02-28', 12)).toBe(1);
    expect(instalmentsDue('2026-01-31', '2030-01-01', 12)).toBe(12);
  });

  it('for any start and term: dates strictly increase, a month apart, and the count agrees with them', () => {
    const day = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2090-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 60 }), day, (start, n, asOf) => {
        const due = dueDates(start, n);
        for (let i = 1; i < due.length; i++)
          expect((due[i] as string) > (due[i - 1] as string)).toBe(true);
        expect(due[0]).toBe(addMonths(start, 1));
        expect(instalmentsDue(start, asOf, n)).toBe(due.filter((d) => d <= asOf).length);
      }),
    );
  });
});
