// The `mailDns.servers` setting as plain data: each saved server's entry checked and normalised,
// and each entry that cannot be used named with what is wrong. No vscode import, so the parsing
// is unit-tested under plain Node; config.ts reads the setting and savedServers.ts shows it.
import { parseIp } from '../core/ip';
import { parseDomain } from '../core/mx/check';
import { selectorProblem } from '../core/dkim/selectors';
import { parseHostPort } from '../core/smtp/probe';

/** A server the user sends mail from, saved to re-check from the Saved Servers view. */
export interface SavedServer {
  /** What the view calls it. */
  name: string;
  /** Its sending IP, canonical. */
  ip: string;
  /** The name it says in HELO/EHLO. */
  helo: string;
  /** The domain of its From addresses. */
  fromDomain: string;
  /** The DKIM selector it signs with (lower case); absent: the common selectors are tried. */
  dkimSelector?: string;
  /** Probe SMTP too: `true` the IP itself on port 25, or another host and port. */
  smtp?: boolean | { host: string; port: number };
}

export interface SavedServers {
  servers: SavedServer[];
  /** One sentence per entry that cannot be used, naming the entry. */
  problems: { index: number; message: string }[];
}

/** The same server checked again: the key of a saved server is what it checks, not its name. */
export function savedServerKey(s: Pick<SavedServer, 'ip' | 'helo' | 'fromDomain' | 'dkimSelector'>): string {
  return `${s.ip}\u0000${s.helo.toLowerCase()}\u0000${s.fromDomain.toLowerCase()}\u0000${(s.dkimSelector ?? '').toLowerCase()}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entryProblem(entry: Record<string, unknown>): string | undefined {
  if (typeof entry.ip !== 'string') return '"ip" (the sending IP) is missing';
  const ip = parseIp(entry.ip.trim());
  if (!ip.ok) return `ip: ${ip.error}`;
  if (typeof entry.helo !== 'string' || entry.helo.trim() === '') return '"helo" (the name the server says in HELO/EHLO) is missing';
  if (/[\s\u0000-\u001f\u007f]/.test(entry.helo.trim())) return `helo ${JSON.stringify(entry.helo)} must be one word`;
  if (typeof entry.fromDomain !== 'string') return '"fromDomain" (the domain of the From address) is missing';
  const d = parseDomain(entry.fromDomain);
  if (!d.ok) return `fromDomain: ${d.error}`;
  if (entry.name !== undefined && typeof entry.name !== 'string') return '"name" must be text';
  if (entry.dkimSelector !== undefined) {
    if (typeof entry.dkimSelector !== 'string') return '"dkimSelector" must be text: the s= of its DKIM-Signature';
    const problem = entry.dkimSelector.trim() === '' ? undefined : selectorProblem(entry.dkimSelector);
    if (problem) return `dkimSelector: ${problem}`;
  }
  const smtp = entry.smtp;
  if (smtp !== undefined && typeof smtp !== 'boolean') {
    if (typeof smtp !== 'string') return '"smtp" must be true, false or "host[:port]"';
    const hp = parseHostPort(smtp);
    if ('error' in hp) return `smtp: ${hp.error}`;
  }
  return undefined;
}

function normalise(entry: Record<string, unknown>): SavedServer {
  const ip = parseIp(String(entry.ip).trim());
  const helo = String(entry.helo).trim();
  const fromDomain = (parseDomain(String(entry.fromDomain)) as { domain: string }).domain;
  const name = typeof entry.name === 'string' && entry.name.trim() !== '' ? entry.name.trim() : `${helo} (${ip.ok ? ip.ip : ''})`;
  const server: SavedServer = { name, ip: ip.ok ? ip.ip : String(entry.ip), helo, fromDomain };
  if (typeof entry.dkimSelector === 'string' && entry.dkimSelector.trim() !== '') server.dkimSelector = entry.dkimSelector.trim().toLowerCase();
  if (entry.smtp === true) server.smtp = true;
  else if (typeof entry.smtp === 'string') {
    const hp = parseHostPort(entry.smtp);
    if (!('error' in hp)) server.smtp = hp;
  }
  return server;
}

/** Checks the setting's value; entries that cannot be used are left out and named in `problems`. */
export function parseSavedServers(value: unknown): SavedServers {
  if (value === undefined || value === null) return { servers: [], problems: [] };
  if (!Array.isArray(value)) {
    return { servers: [], problems: [{ index: -1, message: 'mailDns.servers must be a list of servers: [{ "name", "ip", "helo", "fromDomain", "dkimSelector", "smtp" }]' }] };
  }
  const servers: SavedServer[] = [];
  const problems: SavedServers['problems'] = [];
  value.forEach((entry: unknown, index) => {
    const where = `mailDns.servers entry ${index + 1}${isObject(entry) && typeof entry.name === 'string' ? ` (${JSON.stringify(entry.name.slice(0, 60))})` : ''}`;
    if (!isObject(entry)) {
      problems.push({ index, message: `${where} is not an object with "ip", "helo" and "fromDomain".` });
      return;
    }
    const problem = entryProblem(entry);
    if (problem) problems.push({ index, message: `${where}: ${problem}.` });
    else servers.push(normalise(entry));
  });
  return { servers, problems };
}

/** The entry to write back for a server the user adds (the setting's own shape). */
export function savedServerEntry(s: SavedServer): Record<string, unknown> {
  const entry: Record<string, unknown> = { name: s.name, ip: s.ip, helo: s.helo, fromDomain: s.fromDomain };
  if (s.dkimSelector) entry.dkimSelector = s.dkimSelector;
  if (s.smtp === true) entry.smtp = true;
  else if (typeof s.smtp === 'object') entry.smtp = s.smtp.host.includes(':') ? `[${s.smtp.host}]:${s.smtp.port}` : `${s.smtp.host}:${s.smtp.port}`;
  return entry;
}
