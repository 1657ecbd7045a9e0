// Counts as the reports and the progress lines word them, so the two agree.

/** "1 resource", "2 resources". */
export function counted(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
