/** Process memory from /proc (Linux): VmRSS now and VmHWM (the kernel's peak RSS), in KiB. */
import { readFileSync } from 'node:fs';

export interface ProcMemory {
  readonly rssKiB: number;
  readonly hwmKiB: number;
}

export function readProcMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (match?.[1] === undefined) throw new Error(`/proc/${pid}/status has no ${name} (is this Linux?)`);
    return Number(match[1]);
  };
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
}

export interface RssSummary {
  /** Highest VmRSS seen by sampling. */
  readonly peakRssKiB: number;
  /** VmRSS at the last sample. */
  readonly lastRssKiB: number;
  /** VmHWM at stop: the true peak, including spikes between samples. */
  readonly hwmKiB: number;
  readonly samples: number;
}

/** Samples a process's VmRSS every `intervalMs` until `stop()`; the process must still be alive at stop. */
export function startRssSampler(pid: number, intervalMs = 100): { stop(): RssSummary } {
  let peak = 0;
  let last = 0;
  let samples = 0;
  const sample = () => {
    const { rssKiB } = readProcMemory(pid);
    last = rssKiB;
    peak = Math.max(peak, rssKiB);
    samples++;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRssKiB: peak, lastRssKiB: last, hwmKiB: readProcMemory(pid).hwmKiB, samples };
    },
  };
}

export const mib = (kib: number): number => Math.round((kib / 1024) * 10) / 10;
