/**
 * Tasks this browser completed a moment ago. The inbox reads an eventually consistent read model
 * (the engine's exporter), so a task may still be listed for a second after completion; the
 * user should not see it come back.
 */
const KEY = 'risk-loop.completed';
const TTL_MS = 60_000;

function load(): Record<string, number> {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Record<string, number>;
  } catch {
    return {};
  }
}

export function markCompleted(taskKey: string): void {
  const now = Date.now();
  const entries = Object.entries(load()).filter(([, at]) => now - at < TTL_MS);
  sessionStorage.setItem(KEY, JSON.stringify(Object.fromEntries([...entries, [taskKey, now]])));
}

export function recentlyCompleted(): Set<string> {
  const now = Date.now();
  return new Set(Object.entries(load()).filter(([, at]) => now - at < TTL_MS).map(([k]) => k));
}
