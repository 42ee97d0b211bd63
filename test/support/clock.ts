import type { Clock } from '../../src/clock.js';

/** A clock that stands still until told to move. */
export class FakeClock implements Clock {
  private current: Date;

  constructor(start: Date | string = '2026-11-18T15:00:00Z') {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    this.current = new Date(to);
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}
