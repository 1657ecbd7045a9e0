// What a command and everything it starts cost, as the machine sees it, sampled from /proc while it
// runs: the sum of the resident sets of the process and its descendants (plan's CLI, the program's
// process, the pack's), and the CPU time of each. A single process's max RSS (getrusage) would
// hide a pack process that peaks beside the program, and getrusage's children total misses the
// program's process, which plan does not wait for once it has its result.
import * as fs from "fs";

function children(pid: number): number[] {
    let tasks: string[];
    try {
        tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
        return [];
    }
    const found: number[] = [];
    for (const task of tasks) {
        try {
            const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
            if (text) found.push(...text.split(/\s+/).map(Number));
        } catch {
            // The task ended between the listing and the read.
        }
    }
    return found;
}

function residentBytes(pid: number): number {
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
        return match ? Number(match[1]) * 1024 : 0;
    } catch {
        return 0;
    }
}

const clockTicks = 100; // USER_HZ, the unit of /proc/<pid>/stat times on Linux

/** User plus system CPU time of one process so far, in milliseconds; undefined once it is gone. */
function cpuMs(pid: number): number | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // Fields after the command name, which may hold spaces, closed by the last ")".
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
    } catch {
        return undefined;
    }
}

/** Samples of one process tree: its peak summed memory, and each process's last CPU time seen. */
export class ProcessTreeSampler {
    peakBytes = 0;
    private readonly cpu = new Map<number, number>();

    constructor(private readonly root: number) {}

    sample(): void {
        let bytes = 0;
        const pending = [this.root];
        const seen = new Set<number>();
        while (pending.length > 0) {
            const pid = pending.pop() as number;
            if (seen.has(pid)) continue;
            seen.add(pid);
            bytes += residentBytes(pid);
            const ms = cpuMs(pid);
            if (ms !== undefined) this.cpu.set(pid, ms);
            pending.push(...children(pid));
        }
        this.peakBytes = Math.max(this.peakBytes, bytes);
    }

    /** The CPU time of every process seen, up to its last sample (at most one interval short). */
    get cpuMs(): number {
        let total = 0;
        for (const ms of this.cpu.values()) total += ms;
        return total;
    }
}

/** Whether this machine exposes what the sampler reads (Linux /proc with task children). */
export function canSampleMemory(): boolean {
    return fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
}
