/**
 * IANA time zone names, checked through Intl (the ICU database Node ships). EventBridge Scheduler wants the canonical
 * IANA spelling, so a case-only difference is reported with the right spelling rather than silently accepted.
 * Returns what is wrong, or null when the name is valid.
 */
export function timeZoneProblem(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) {
    return `${JSON.stringify(name)} is not an IANA time zone name`;
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return `${JSON.stringify(name)} is not a known IANA time zone`;
  }
  if (resolved.toLowerCase() === name.toLowerCase() && resolved !== name) {
    return `${JSON.stringify(name)} is misspelt: write ${JSON.stringify(resolved)}`;
  }
  return null;
}
