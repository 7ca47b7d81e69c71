// Realistic reverse zones for audit tests and the benchmark: a block of /24s under one forward
// zone, each address one of the shapes an ISP's block has — a mail server whose PTR resolves back,
// a generic customer-line name (also resolving back), no PTR at all (NXDOMAIN), and a PTR whose name
// points elsewhere (mismatch) — and, optionally, one /26 delegated the RFC 2317 way (CNAMEs from the
// parent into the customer's own zone). Deterministic: the kind of each address is a hash of it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BindZone } from './bind';

export type AuditKind = 'pass' | 'generic' | 'nxdomain' | 'mismatch';

export interface AuditZones {
  zones: BindZone[];
  /** The expected kind of each address of the block. */
  kinds: Map<string, AuditKind>;
  /** The forward zone's name. */
  forward: string;
}

export interface AuditZoneOptions {
  /** First two octets of the block: `10.20` → 10.20.<third>.<host>. */
  prefix: string;
  /** Third octets to fill, e.g. [0] for one /24, 0..255 for a /16. */
  thirds: number[];
  /** Delegate <prefix>.<thirds[0]>.64/26 to its own zone with RFC 2317 CNAMEs. */
  classless?: boolean;
  forward?: string;
}

export function kindOf(third: number, host: number): AuditKind {
  const h = (third * 131 + host * 197 + ((host * host) % 23)) % 20;
  return h < 8 ? 'pass' : h < 13 ? 'generic' : h < 17 ? 'nxdomain' : 'mismatch';
}

const SOA = (ns: string) => `$TTL 3600\n@ IN SOA ns1.${ns}. hostmaster.${ns}. ( 2026120201 7200 3600 1209600 300 )\n  IN NS ns1.${ns}.\n`;

/** Writes the zone files into `dir` and returns them with what each address should come out as. */
export function writeAuditZones(dir: string, options: AuditZoneOptions): AuditZones {
  const forward = options.forward ?? 'audit.example';
  const [a, b] = options.prefix.split('.');
  const fwd: string[] = [SOA(forward), 'ns1 IN A 127.0.0.1'];
  const kinds = new Map<string, AuditKind>();
  const zones: BindZone[] = [];
  for (const third of options.thirds) {
    const origin = `${third}.${b}.${a}.in-addr.arpa`;
    const rev: string[] = [SOA(forward)];
    const child: string[] = [SOA(forward)];
    const classless = options.classless && third === options.thirds[0];
    if (classless) rev.push(`64/26 IN NS ns1.${forward}.`);
    for (let host = 0; host < 256; host++) {
      const ip = `${a}.${b}.${third}.${host}`;
      const kind = kindOf(third, host);
      kinds.set(ip, kind);
      const delegated = classless && host >= 64 && host < 128;
      // RFC 2317 §4: the parent holds a CNAME for every address of the delegated block.
      if (delegated) rev.push(`${host} IN CNAME ${host}.64/26`);
      const out = delegated ? child : rev;
      if (kind === 'pass') {
        out.push(`${host} IN PTR smtp${third * 256 + host}.${forward}.`);
        fwd.push(`smtp${third * 256 + host} IN A ${ip}`);
      } else if (kind === 'generic') {
        out.push(`${host} IN PTR ${a}-${b}-${third}-${host}.dyn.${forward}.`);
        fwd.push(`${a}-${b}-${third}-${host}.dyn IN A ${ip}`);
      } else if (kind === 'mismatch') {
        // A name of the provider's web farm: its A record is another address.
        out.push(`${host} IN PTR web${host % 7}.${forward}.`);
      }
    }
    fs.writeFileSync(path.join(dir, `${origin}.zone`), rev.join('\n') + '\n');
    zones.push({ name: origin, file: `${origin}.zone` });
    if (classless) {
      const name = `64/26.${origin}`;
      fs.writeFileSync(path.join(dir, `64-26.${origin}.zone`), child.join('\n') + '\n');
      zones.push({ name, file: `64-26.${origin}.zone` });
    }
  }
  for (let i = 0; i < 7; i++) fwd.push(`web${i} IN A 192.0.2.${100 + i}`);
  fs.writeFileSync(path.join(dir, `${forward}.zone`), fwd.join('\n') + '\n');
  zones.push({ name: forward, file: `${forward}.zone` });
  fs.writeFileSync(path.join(dir, 'zones.json'), JSON.stringify(zones, null, 1));
  return { zones, kinds, forward };
}
