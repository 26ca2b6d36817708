// The notifications the router's specs are written in. Letters: a/b/c = turn t1 on thread A
// (started, delta, completed); d/e/f = turn t2 on thread A; x/y/z = turn u1 on thread B;
// s = A's status (no turn); g = B's status.
import { delta, statusChanged, turnCompleted, turnStarted } from "../../src/testing/builders.js";

export const n = {
  a: turnStarted("A", "t1"),
  b: delta("A", "t1", "m1", "one"),
  c: turnCompleted("A", "t1"),
  d: turnStarted("A", "t2"),
  e: delta("A", "t2", "m2", "two"),
  f: turnCompleted("A", "t2"),
  x: turnStarted("B", "u1"),
  y: delta("B", "u1", "m3", "three"),
  z: turnCompleted("B", "u1"),
  s: statusChanged("A", "active"),
  g: statusChanged("B", "idle"),
};
