import type { Observable } from "rxjs";

/** True when A and B are the same type (not merely assignable). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when `T` is `true`: `assertType<Equal<X, Y>>()`. */
export function assertType<T extends true>(): T | undefined {
  return undefined;
}

/** The value type of an Observable. */
export type ObservedBy<O> = O extends Observable<infer T> ? T : never;
