// The receiver settings that change the matrix's verdicts (docs/receivers.md "Knobs"), as plain
// options: the extension reads them from mailDns.receivers.* (src/vscode/config.ts), `maildns check`
// from a JSON file (--receivers <file>), both through checkReceiverKnobs. Each knob has the name and
// the default of the receiver's own setting, so a reader can set the same value on their server.

export type PostscreenAction = 'ignore' | 'enforce' | 'drop';

export interface ReceiverKnobs {
  postfix?: {
    /** unknown_client_reject_code (450): reject_unknown_client_hostname's and reject_unknown_reverse_client_hostname's (rDNS report). */
    unknownClientRejectCode?: number;
    /** unknown_address_reject_code (450): reject_unknown_sender_domain's reply code. */
    unknownAddressRejectCode?: number;
    /** maps_rbl_reject_code (554): reject_rbl_client's reply code. */
    rblRejectCode?: number;
    /** unknown_hostname_reject_code (450): reject_unknown_helo_hostname's (HELO report). */
    unknownHostnameRejectCode?: number;
    /** invalid_hostname_reject_code (501): reject_invalid_helo_hostname's (HELO report). */
    invalidHostnameRejectCode?: number;
    /** non_fqdn_reject_code (504): reject_non_fqdn_helo_hostname's (HELO report). */
    nonFqdnRejectCode?: number;
  };
  postscreen?: {
    /**
     * postscreen_dnsbl_sites entries (`zone`, `zone*2`, `zone=127.0.0.[2..4]*3`, a negative weight for
     * an allowlist). Unset: each zone of mailDns.dnsbl.zones with weight 1.
     */
    sites?: string[];
    /** postscreen_dnsbl_threshold (1). */
    threshold?: number;
    /** postscreen_dnsbl_action: Postfix's default is ignore; modelled by default as POSTSCREEN_README's enforce. */
    action?: PostscreenAction;
  };
  rspamd?: {
    /** actions.conf greylist (4), add_header (6), reject (15). */
    greylist?: number;
    addHeader?: number;
    reject?: number;
  };
  spamassassin?: {
    /** required_score (5.0). */
    requiredScore?: number;
  };
}

export const KNOB_DEFAULTS = {
  postfix: { unknownClientRejectCode: 450, unknownAddressRejectCode: 450, rblRejectCode: 554, unknownHostnameRejectCode: 450, invalidHostnameRejectCode: 501, nonFqdnRejectCode: 504 },
  postscreen: { threshold: 1, action: 'enforce' as PostscreenAction },
  rspamd: { greylist: 4, addHeader: 6, reject: 15 },
  spamassassin: { requiredScore: 5.0 },
} as const;

type Shape = Record<string, Record<string, 'code4or5' | 'int' | 'number' | 'action' | 'sites'>>;
const SHAPE: Shape = {
  postfix: {
    unknownClientRejectCode: 'code4or5',
    unknownAddressRejectCode: 'code4or5',
    rblRejectCode: 'code4or5',
    unknownHostnameRejectCode: 'code4or5',
    invalidHostnameRejectCode: 'code4or5',
    nonFqdnRejectCode: 'code4or5',
  },
  postscreen: { sites: 'sites', threshold: 'int', action: 'action' },
  rspamd: { greylist: 'number', addHeader: 'number', reject: 'number' },
  spamassassin: { requiredScore: 'number' },
};

/**
 * Checks a knobs object (settings or a JSON file): every value it cannot use is a problem naming
 * `<prefix>.<receiver>.<knob>`; the usable ones are kept. Unknown keys are problems too (a typo would
 * otherwise be silently ignored).
 */
export function checkReceiverKnobs(value: unknown, prefix = 'receivers'): { knobs: ReceiverKnobs; problems: { setting: string; message: string }[] } {
  const problems: { setting: string; message: string }[] = [];
  const knobs: Record<string, Record<string, unknown>> = {};
  if (value === undefined || value === null) return { knobs: {}, problems };
  if (typeof value !== 'object' || Array.isArray(value)) return { knobs: {}, problems: [{ setting: prefix, message: `${prefix} must be an object such as {"rspamd": {"reject": 10}}.` }] };
  for (const [receiver, group] of Object.entries(value as Record<string, unknown>)) {
    const shape = SHAPE[receiver];
    if (!shape) {
      problems.push({ setting: `${prefix}.${receiver}`, message: `${prefix}.${receiver}: no such receiver (${Object.keys(SHAPE).join(', ')}).` });
      continue;
    }
    if (group === undefined || group === null) continue;
    if (typeof group !== 'object' || Array.isArray(group)) {
      problems.push({ setting: `${prefix}.${receiver}`, message: `${prefix}.${receiver} must be an object.` });
      continue;
    }
    for (const [key, v] of Object.entries(group as Record<string, unknown>)) {
      const setting = `${prefix}.${receiver}.${key}`;
      const kind = shape[key];
      if (v === undefined || v === null) continue;
      const bad = (what: string) => problems.push({ setting, message: `${setting} must be ${what}; it is ${JSON.stringify(v)}.` });
      if (!kind) {
        problems.push({ setting, message: `${setting}: no such setting (${Object.keys(shape).join(', ')}).` });
        continue;
      }
      let ok = false;
      switch (kind) {
        case 'code4or5':
          ok = typeof v === 'number' && Number.isInteger(v) && v >= 400 && v <= 599;
          if (!ok) bad('an SMTP reply code from 400 to 599, e.g. 450 or 550');
          break;
        case 'int':
          ok = typeof v === 'number' && Number.isInteger(v);
          if (!ok) bad('a whole number');
          break;
        case 'number':
          ok = typeof v === 'number' && Number.isFinite(v);
          if (!ok) bad('a number');
          break;
        case 'action':
          ok = v === 'ignore' || v === 'enforce' || v === 'drop';
          if (!ok) bad('"ignore", "enforce" or "drop"');
          break;
        case 'sites': {
          ok = Array.isArray(v) && v.every((s) => typeof s === 'string');
          if (!ok) {
            bad('a list of postscreen_dnsbl_sites entries such as "zen.spamhaus.org*2"');
            break;
          }
          for (const s of v as string[]) {
            const p = parseDnsblSite(s);
            if ('error' in p) {
              problems.push({ setting, message: `${setting}: ${p.error}` });
              ok = false;
            }
          }
          break;
        }
      }
      if (ok) (knobs[receiver] ??= {})[key] = v;
    }
  }
  const r = knobs.rspamd as ReceiverKnobs['rspamd'] | undefined;
  if (r) {
    const g = r.greylist ?? KNOB_DEFAULTS.rspamd.greylist, a = r.addHeader ?? KNOB_DEFAULTS.rspamd.addHeader, j = r.reject ?? KNOB_DEFAULTS.rspamd.reject;
    if (!(g <= a && a <= j)) problems.push({ setting: `${prefix}.rspamd`, message: `${prefix}.rspamd: the thresholds must grow: greylist ${g} ≤ add header ${a} ≤ reject ${j}.` });
  }
  return { knobs: knobs as ReceiverKnobs, problems };
}

/** The HELO reply codes of the knobs, in the HELO check's terms (src/core/helo/postfix.ts HeloRejectCodes). */
export function heloRejectCodes(knobs: ReceiverKnobs | undefined): { unknownHostname?: number; invalidHostname?: number; nonFqdn?: number } {
  const p = knobs?.postfix ?? {};
  return {
    ...(p.unknownHostnameRejectCode !== undefined ? { unknownHostname: p.unknownHostnameRejectCode } : {}),
    ...(p.invalidHostnameRejectCode !== undefined ? { invalidHostname: p.invalidHostnameRejectCode } : {}),
    ...(p.nonFqdnRejectCode !== undefined ? { nonFqdn: p.nonFqdnRejectCode } : {}),
  };
}

/** One postscreen_dnsbl_sites entry: `domain[=filter][*weight]`. */
export interface DnsblSite {
  zone: string;
  /** The filter as written (`127.0.0.[2..4]`), or undefined for "any address". */
  filter?: string;
  /** Per octet, the values it allows. */
  octets?: [number, number][][];
  weight: number;
  /** The entry as written. */
  text: string;
}

// postconf(5) postscreen_dnsbl_sites: "domain=d.d.d.d*w", where d is a number, or a pattern inside
// [] with numbers or ranges (n..m) separated by ";".
export function parseDnsblSite(text: string): DnsblSite | { error: string } {
  const t = text.trim();
  const m = /^([A-Za-z0-9_.-]+?)\.?(?:=([0-9.[\];]+))?(?:\*(-?\d+))?$/.exec(t);
  if (!m || !m[1].includes('.')) return { error: `${JSON.stringify(text)} is not a postscreen_dnsbl_sites entry (domain, domain*2, domain=127.0.0.[2..4]*3).` };
  const site: DnsblSite = { zone: m[1].toLowerCase(), weight: m[3] === undefined ? 1 : Number(m[3]), text: t };
  if (m[2] !== undefined) {
    // Octets are separated by dots outside brackets (a range inside is n..m).
    const parts = m[2].match(/\[[^\]]*\]|[^.[\]]+/g) ?? [];
    if (parts.join('.') !== m[2]) return { error: `${JSON.stringify(text)}: the filter ${m[2]} is not four octet patterns.` };
    if (parts.length !== 4) return { error: `${JSON.stringify(text)}: the filter ${m[2]} needs four octets.` };
    const octets: [number, number][][] = [];
    for (const p of parts) {
      const inner = /^\[(.*)\]$/.exec(p);
      const items = inner ? inner[1].split(';') : [p];
      const ranges: [number, number][] = [];
      for (const item of items) {
        const r = /^(\d{1,3})(?:\.\.(\d{1,3}))?$/.exec(item);
        if (!r || Number(r[1]) > 255 || Number(r[2] ?? r[1]) > 255 || (!inner && r[2] !== undefined)) return { error: `${JSON.stringify(text)}: ${JSON.stringify(p)} is not an octet pattern (n, [n..m], [n;m]).` };
        ranges.push([Number(r[1]), Number(r[2] ?? r[1])]);
      }
      octets.push(ranges);
    }
    site.filter = m[2];
    site.octets = octets;
  }
  return site;
}

/** Whether a reply address matches a site's filter (no filter: any address). */
export function siteMatches(site: DnsblSite, address: string): boolean {
  if (!site.octets) return true;
  const parts = address.split('.').map(Number);
  if (parts.length !== 4) return false;
  return site.octets.every((ranges, i) => ranges.some(([lo, hi]) => parts[i] >= lo && parts[i] <= hi));
}
