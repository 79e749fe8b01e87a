/**
 * Who used the cores while a scenario was measured, from Linux /proc. The load generator shares
 * the machine with the backend and PostgreSQL, and other work on the machine distorts the
 * numbers, so every result says where the CPU went. Other systems get no CPU figures.
 */
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';

export interface WatchedProcesses {
  backend: number | undefined;
  /** The postmaster of the throwaway server; its children serve the connections. */
  postmaster: number | undefined;
}

/** Clock ticks used so far: machine-wide (summed over all cores) and per party. */
interface CpuSnapshot {
  busy: number;
  all: number;
  backend: number;
  postgres: number;
  loadGenerator: number;
}

/** Average number of cores each party kept busy (machine total = cores). */
export interface CpuUsage {
  cores: number;
  backend: number;
  postgres: number;
  loadGenerator: number;
  other: number;
  idle: number;
}

export async function cpuSnapshot(watch: WatchedProcesses): Promise<CpuSnapshot | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const snapshot = {
      ...machineTicks(await readFile('/proc/stat', 'utf8')),
      backend: 0,
      postgres: 0,
      loadGenerator: 0,
    };
    const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
    await Promise.all(
      pids.map(async (pid) => {
        // Processes come and go while /proc is read.
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
        if (!stat) return;
        const { ppid, ticks } = processTicks(stat);
        if (pid === process.pid) snapshot.loadGenerator += ticks;
        else if (pid === watch.backend) snapshot.backend += ticks;
        else if (watch.postmaster && (pid === watch.postmaster || ppid === watch.postmaster)) {
          snapshot.postgres += ticks;
        }
      }),
    );
    return snapshot;
  } catch {
    return undefined;
  }
}

export function cpuUsage(
  before: CpuSnapshot | undefined,
  after: CpuSnapshot | undefined,
  cores = os.cpus().length,
): CpuUsage | undefined {
  if (!before || !after || after.all <= before.all) return undefined;
  // Per-process ticks use the same clock as /proc/stat's machine-wide sum over all cores.
  const scale = cores / (after.all - before.all);
  const backend = (after.backend - before.backend) * scale;
  const postgres = (after.postgres - before.postgres) * scale;
  const loadGenerator = (after.loadGenerator - before.loadGenerator) * scale;
  const busy = (after.busy - before.busy) * scale;
  const round = (n: number) => Math.round(Math.max(0, n) * 100) / 100;
  return {
    cores,
    backend: round(backend),
    postgres: round(postgres),
    loadGenerator: round(loadGenerator),
    other: round(busy - backend - postgres - loadGenerator),
    idle: round(cores - busy),
  };
}

/** The parent of a process; for a PostgreSQL connection's server process, the postmaster. */
export async function parentPid(pid: number | undefined): Promise<number | undefined> {
  if (!pid || process.platform !== 'linux') return undefined;
  try {
    return processTicks(await readFile(`/proc/${pid}/stat`, 'utf8')).ppid || undefined;
  } catch {
    return undefined;
  }
}

/** From the first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ...". */
function machineTicks(procStat: string): { busy: number; all: number } {
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = (
    procStat.split('\n', 1)[0] ?? ''
  )
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, all: busy + idle + iowait };
}

/** From /proc/<pid>/stat: "pid (comm) state ppid ... utime stime ..." (fields 4, 14 and 15). */
function processTicks(stat: string): { ppid: number; ticks: number } {
  // The command name may contain spaces and parentheses, so count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}
