/** Run ids: sortable by start time, unique, and valid in S3 keys and state keys (`20261122T120000Z-3f9a1c`). */
import { randomBytes } from 'node:crypto';

export function newRunId(now: number, random: () => string = () => randomBytes(3).toString('hex')): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${random()}`;
}
