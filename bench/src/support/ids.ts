let next = 1_000_000;

/** A fresh task id (also used as the batch id of a cluster task): never repeats within a run. */
export function nextTaskId(): number {
  return next++;
}
