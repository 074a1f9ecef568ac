import { readFileSync } from 'node:fs';

/** A child process's resident memory from /proc (Linux): now, and the kernel's high-water mark since it started. */
export function childMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Samples a child's RSS every `everyMs` and keeps the highest (for the peak of one phase, unlike VmHWM). */
export class ChildRssSampler {
  private peak = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly pid: number) {}

  start(everyMs = 50): this {
    this.peak = childMemory(this.pid).rss;
    this.timer = setInterval(() => {
      try {
        this.peak = Math.max(this.peak, childMemory(this.pid).rss);
      } catch {
        // The process is gone; the bench notices its exit and reports it with the process's output.
        clearInterval(this.timer);
      }
    }, everyMs);
    return this;
  }

  stop(): number {
    clearInterval(this.timer);
    try {
      return Math.max(this.peak, childMemory(this.pid).rss);
    } catch {
      return this.peak;
    }
  }
}
