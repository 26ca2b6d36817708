/**
 * Marks a branch the type checker has proven unreachable; reaching it anyway (a value from outside
 * the types, e.g. plain JavaScript) throws.
 *
 * @param value the value no case matched
 * @param what what kind of value it is, for the message
 * @returns never
 * @throws {TypeError} always
 */
export function assertNever(value: never, what: string): never {
  throw new TypeError(`unknown ${what}: ${JSON.stringify(value)}`);
}
