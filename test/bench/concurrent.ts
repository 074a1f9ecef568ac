/**
 * Runs `workers` loops side by side, each doing `perWorker` turns one after
 * another, and returns each turn's duration in milliseconds. `afterTurn`
 * (e.g. reading what the turn stored) runs untimed before the loop's next turn.
 */
export async function timeConcurrent(
  workers: number,
  perWorker: number,
  turn: (worker: number, iteration: number) => Promise<void>,
  afterTurn?: (worker: number, iteration: number) => Promise<void>,
): Promise<number[]> {
  const durations: number[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let iteration = 0; iteration < perWorker; iteration++) {
        const started = performance.now();
        await turn(worker, iteration);
        durations.push(performance.now() - started);
        await afterTurn?.(worker, iteration);
      }
    }),
  );
  return durations;
}
