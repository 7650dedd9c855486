/**
 * When a failed delivery is tried again: exponential backoff from one second, four times longer
 * each time (1 s, 4 s, 16 s, 64 s, ~4 min, ~17 min, then hourly), each delay jittered by ±25%
 * so that the deliveries of a receiver that was down do not all return in the same instant.
 * A delivery keeps being retried until an attempt at least 24 hours after its first one fails;
 * then it is dead (dead-lettered): kept, visible, and sent again only on a redelivery.
 */
export const FIRST_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 60 * 60 * 1000;
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** How many attempts a delivery keeps in its log (the newest). */
export const ATTEMPT_LOG_SIZE = 10;

/** The delay before the next attempt after `failures` failed ones (1, 2, ...); `random` in [0, 1). */
export function retryDelayMs(failures: number, random: number): number {
  const base = Math.min(FIRST_DELAY_MS * 4 ** Math.max(0, failures - 1), MAX_DELAY_MS);
  return Math.round(base * (0.75 + 0.5 * random));
}

/** Whether a failure at `now` ends the retries of a delivery first attempted at `first`. */
export function retriesExhausted(first: Date, now: Date): boolean {
  return now.getTime() - first.getTime() >= RETRY_WINDOW_MS;
}
