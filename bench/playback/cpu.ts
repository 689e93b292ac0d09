/**
 * CPU time burnt by processes, read from /proc (Linux): a whole process group (wrangler and its workerd), or the
 * processes whose command line matches. On a machine shared with other work, CPU per request is the fair measure of
 * what a request costs; wall-clock throughput only says how much CPU happened to be free.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

function statOf(pid: string): { pgrp: number; cpuMs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    return { pgrp: Number(fields[2]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

function pids(): string[] {
  return readdirSync("/proc").filter((name) => /^\d+$/.test(name));
}

export function groupCpuMs(pgid: number): number {
  let total = 0;
  for (const pid of pids()) {
    const stat = statOf(pid);
    if (stat?.pgrp === pgid) total += stat.cpuMs;
  }
  return total;
}

export function matchingCpuMs(pattern: RegExp): number {
  let total = 0;
  for (const pid of pids()) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      continue;
    }
    if (pattern.test(cmdline)) total += statOf(pid)?.cpuMs ?? 0;
  }
  return total;
}

export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU per process name (comm) within a process group, for finding where a request's cost goes. */
export function groupCpuByName(pgid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of pids()) {
    const stat = statOf(pid);
    if (stat?.pgrp !== pgid) continue;
    let name = "?";
    try {
      name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    } catch {}
    out[name] = (out[name] ?? 0) + stat.cpuMs;
  }
  return out;
}
