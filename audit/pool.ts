// Bounded concurrency: at most `limit` tasks run at once, so a fleet of clusters never turns into a
// burst of hundreds of parallel API calls (which the cloud would throttle anyway).

/** Runs `task` over every item with at most `limit` running; results keep the items' order. */
export async function mapWithConcurrency<T, R>(
    items: readonly T[],
    limit: number,
    task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await task(items[index], index);
        }
    };
    const workers = Math.max(1, Math.min(limit, items.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return results;
}

/** Memoizes an async lookup by key, so clusters sharing a key or an instance read it once. */
export function onceByKey<R>(load: (key: string) => Promise<R>): (key: string) => Promise<R> {
    const cache = new Map<string, Promise<R>>();
    return (key) => {
        let pending = cache.get(key);
        if (!pending) {
            pending = load(key);
            cache.set(key, pending);
        }
        return pending;
    };
}
