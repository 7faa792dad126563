/**
 * Makes a parsed JSON object safe to use as a dictionary ("constructor" or
 * "__proto__" as a key must not reach Object.prototype), in place: copying a
 * table of 100,000 words into a fresh object would cost start-up time.
 */
export function dictionary<T extends object>(value: T): T {
  Object.setPrototypeOf(value, null);
  return value;
}
