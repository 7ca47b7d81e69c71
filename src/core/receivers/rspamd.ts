// What rspamd scores for the connection, modelled on Debian 12's rspamd 3.4 defaults: the hfilter,
// once_received, spf and dmarc modules as /usr/share/rspamd/plugins and /etc/rspamd configure them,
// their weights from /etc/rspamd/scores.d, the composites of /etc/rspamd/composites.conf and the
// actions of /etc/rspamd/actions.conf. Checked symbol by symbol against a real rspamd in
// test/integration/receivers-real.test.ts (scenarios in docs/receivers.md).
//
// The MTA hands rspamd the client's address, HELO name and host name. Postfix (milter) passes its
// verified name; when it has none it says "unknown", which rspamd's milter code drops ("skip unknown
// hostname from being added", librspamd-server), so rspamd then has no host name.
// RBLs: the `spamhaus` rule of Debian's rbl.conf (its `from` check, ./dnsbl.ts). DKIM: ./dkimRows.ts, from the
// message's verified signatures. Not modelled: the other lists, symbols that read the message (MIME_*,
// RCVD_COUNT_*, ONCE_RECEIVED, which counts the message's Received headers), HFILTER_*_NORESOLVE_MX
// (needs the MX hosts' addresses), and rspamd's own SPF result when check_host() gives permerror:
// rspamd 3.4 skips an unknown mechanism and uses one of two SPF records where RFC 7208 says
// permerror (seen in the tests), and allows 30 DNS lookups, not 10.
import { parseIp } from '../ip';
import type { SpfResultCode } from '../spf/types';
import { connectionOf } from './connection';
import { rspamdDnsblHits } from './dnsbl';
import { dmarcAllowWithFailures, RSPAMD_DKIM_WEIGHTS, rspamdDkimHits } from './dkimRows';
import { KNOB_DEFAULTS } from './knobs';
import type { ReceiverInput, ReceiverRow } from './types';

export const RSPAMD_VERSION = 'rspamd 3.4 (Debian 12 defaults: hfilter, once_received, spf, dmarc; actions.conf thresholds)';
const DOC = 'https://rspamd.com/doc/modules/';

/** Weights from /etc/rspamd/scores.d (hfilter_group, headers_group, policies_group) and composites.conf. */
export const RSPAMD_WEIGHTS: Record<string, number> = {
  HFILTER_HELO_BAREIP: 3.0, HFILTER_HELO_BADIP: 4.5,
  HFILTER_HELO_1: 0.5, HFILTER_HELO_2: 1.0, HFILTER_HELO_3: 2.0, HFILTER_HELO_4: 2.5, HFILTER_HELO_5: 3.0,
  HFILTER_HOSTNAME_1: 0.5, HFILTER_HOSTNAME_2: 1.0, HFILTER_HOSTNAME_3: 2.0, HFILTER_HOSTNAME_4: 2.5, HFILTER_HOSTNAME_5: 3.0,
  HFILTER_HELO_NORES_A_OR_MX: 0.3, HFILTER_HELO_IP_A: 1.0, HFILTER_HELO_NOT_FQDN: 2.0,
  HFILTER_FROMHOST_NORES_A_OR_MX: 1.5, HFILTER_FROMHOST_NOT_FQDN: 3.0, HFILTER_HOSTNAME_UNKNOWN: 2.5,
  RDNS_NONE: 1.0, RDNS_DNSFAIL: 0.0,
  R_SPF_ALLOW: -0.2, R_SPF_FAIL: 1.0, R_SPF_SOFTFAIL: 0.0, R_SPF_NEUTRAL: 0.0, R_SPF_NA: 0.0, R_SPF_DNSFAIL: 0.0,
  DMARC_POLICY_ALLOW: -0.5, DMARC_POLICY_REJECT: 2.0, DMARC_POLICY_QUARANTINE: 1.5, DMARC_POLICY_SOFTFAIL: 0.1, DMARC_NA: 0.0,
  VIOLATED_DIRECT_SPF: 3.5, AUTH_NA: 1.0,
  // scores.d/rbl_group.conf
  RBL_SPAMHAUS: 0.0, RBL_SPAMHAUS_SBL: 4.0, RBL_SPAMHAUS_CSS: 2.0, RBL_SPAMHAUS_XBL: 4.0, RBL_SPAMHAUS_PBL: 2.0, RBL_SPAMHAUS_DROP: 7.0,
  RBL_SPAMHAUS_BLOCKED_OPENRESOLVER: 0.0, RBL_SPAMHAUS_BLOCKED: 0.0,
  BAD_REP_POLICIES: 0.1,
  ...RSPAMD_DKIM_WEIGHTS,
};

/** The symbols this model decides: a real run's symbols outside this set are not the connection's doing. */
export const RSPAMD_MODELLED = new Set(Object.keys(RSPAMD_WEIGHTS));

/** The modelled symbols of the `policies` group with a negative weight (scores.d/policies_group.conf). */
const POLICY_GOOD = new Set(['R_SPF_ALLOW', 'DMARC_POLICY_ALLOW']);

/** /etc/rspamd/actions.conf: the score at which each action starts. */
export const RSPAMD_ACTIONS = { greylist: 4, 'add header': 6, reject: 15 } as const;

// hfilter.lua: host names that look like dynamic or residential addresses, and their weights
// (5 very hard … 1 very low). Applied to the HELO name and to the host name; the highest wins.
const CHECKS_HELLOHOST: [RegExp, number][] = [
  [/[-.0-9][0-9][.-]?nat/i, 5],
  [/homeuser[.-][0-9]/i, 5],
  [/[-.0-9][0-9][.-]?unused-addr/i, 3],
  [/[-.0-9][0-9][.-]?pppoe/i, 5],
  [/[-.0-9][0-9][.-]?dynamic/i, 5],
  [/[.-]catv[.-]/i, 5],
  [/unused-addr[.-][0-9]/i, 3],
  [/comcast[.-][0-9]/i, 5],
  [/[.-]broadband[.-]/i, 5],
  [/[0-9][.-]?fbx/i, 4],
  [/[.-]peer[.-]/i, 1],
  [/[.-]homeuser[.-]/i, 5],
  [/[-.0-9][0-9][.-]?catv/i, 5],
  [/customers?[.-][0-9]/i, 1],
  [/[.-]wifi[.-]/i, 5],
  [/[0-9][.-]?kabel/i, 3],
  [/dynip[.-][0-9]/i, 5],
  [/[.-]broad[.-]/i, 5],
  [/[a|x]?dsl-line[.-]?[0-9]/i, 4],
  [/[-.0-9][0-9][.-]?ppp/i, 5],
  [/pool[.-][0-9]/i, 4],
  [/[.-]nat[.-]/i, 5],
  [/gprs[.-][0-9]/i, 5],
  [/brodband[.-][0-9]/i, 5],
  [/[.-]gprs[.-]/i, 5],
  [/[.-]user[.-]/i, 1],
  [/[-.0-9][0-9][.-]?in-?addr/i, 4],
  [/[.-]host[.-]/i, 2],
  [/[.-]fbx[.-]/i, 4],
  [/dynamic[.-][0-9]/i, 5],
  [/[-.0-9][0-9][.-]?peer/i, 1],
  [/[-.0-9][0-9][.-]?pool/i, 4],
  [/[-.0-9][0-9][.-]?user/i, 1],
  [/[.-]cdma[.-]/i, 5],
  [/user[.-][0-9]/i, 1],
  [/[-.0-9][0-9][.-]?customers?/i, 1],
  [/ppp[.-][0-9]/i, 5],
  [/kabel[.-][0-9]/i, 3],
  [/dhcp[.-][0-9]/i, 5],
  [/peer[.-][0-9]/i, 1],
  [/[-.0-9][0-9][.-]?host/i, 2],
  [/clients?[.-][0-9]{2,}/i, 5],
  [/host[.-][0-9]/i, 2],
  [/[.-]ppp[.-]/i, 5],
  [/[.-]dhcp[.-]/i, 5],
  [/[.-]comcast[.-]/i, 5],
  [/cable[.-][0-9]/i, 3],
  [/[-.0-9][0-9][.-]?dial-?up/i, 5],
  [/[-.0-9][0-9][.-]?bredband/i, 5],
  [/[-.0-9][0-9][.-]?[a|x]?dsl-line/i, 4],
  [/[.-]dial-?up[.-]/i, 5],
  [/[.-]cablemodem[.-]/i, 5],
  [/pppoe[.-][0-9]/i, 5],
  [/[.-]unused-addr[.-]/i, 3],
  [/pptp[.-][0-9]/i, 5],
  [/broadband[.-][0-9]/i, 5],
  [/[.-][a|x]?dsl-line[.-]/i, 4],
  [/[.-]customers?[.-]/i, 1],
  [/[-.0-9][0-9][.-]?fibertel/i, 4],
  [/[-.0-9][0-9][.-]?comcast/i, 5],
  [/[.-]dynamic[.-]/i, 5],
  [/cdma[.-][0-9]/i, 5],
  [/[0-9][.-]?broad/i, 5],
  [/fbx[.-][0-9]/i, 4],
  [/catv[.-][0-9]/i, 5],
  [/[-.0-9][0-9][.-]?homeuser/i, 5],
  [/[-.0-9][.-]pppoe[.-]/i, 5],
  [/[-.0-9][.-]dynip[.-]/i, 5],
  [/[-.0-9][0-9][.-]?[a|x]?dsl/i, 4],
  [/[-.0-9][0-9]{3,}[.-]?clients?/i, 5],
  [/[-.0-9][0-9][.-]?pptp/i, 5],
  [/[.-]clients?[.-]/i, 1],
  [/[.-]in-?addr[.-]/i, 4],
  [/[.-]pool[.-]/i, 4],
  [/[a|x]?dsl[.-]?[0-9]/i, 4],
  [/[.-][a|x]?dsl[.-]/i, 4],
  [/[-.0-9][0-9][.-]?[a|x]?dsl-dynamic/i, 5],
  [/dial-?up[.-][0-9]/i, 5],
  [/[-.0-9][0-9][.-]?cablemodem/i, 5],
  [/[a|x]?dsl-dynamic[.-]?[0-9]/i, 5],
  [/[.-]pptp[.-]/i, 5],
  [/[.-][a|x]?dsl-dynamic[.-]/i, 5],
  [/[0-9][.-]?wifi/i, 5],
  [/fibertel[.-][0-9]/i, 4],
  [/dyn[.-][0-9][-.0-9]/i, 5],
  [/[-.0-9][0-9][.-]broadband/i, 5],
  [/[-.0-9][0-9][.-]cable/i, 3],
  [/broad[.-][0-9]/i, 5],
  [/[-.0-9][0-9][.-]gprs/i, 5],
  [/cablemodem[.-][0-9]/i, 5],
  [/[-.0-9][0-9][.-]modem/i, 5],
  [/[-.0-9][0-9][.-]dyn/i, 5],
  [/[-.0-9][0-9][.-]dynip/i, 5],
  [/[-.0-9][0-9][.-]cdma/i, 5],
  [/[.-]modem[.-]/i, 5],
  [/[.-]kabel[.-]/i, 3],
  [/[.-]cable[.-]/i, 3],
  [/in-?addr[.-][0-9]/i, 4],
  [/nat[.-][0-9]/i, 5],
  [/[.-]fibertel[.-]/i, 4],
  [/[.-]bredband[.-]/i, 5],
  [/modem[.-][0-9]/i, 5],
  [/[0-9][.-]?dhcp/i, 5],
  [/wifi[.-][0-9]/i, 5],
];
// hfilter.lua checks_hello: a HELO name without a dot, and router names. (Its third pattern,
// `/\.(lan|local|…)$ 5`, lacks the closing slash and matches nothing in 3.4: a HELO of
// box.localdomain scores nothing, checked against the real rspamd.)
const CHECKS_HELLO: [RegExp, number][] = [
  [/^[^\.]+$/i, 5],
  [/^(dsl)?(device|speedtouch)\.lan$/i, 5],
];
// hfilter.lua checks_hello_badip: special-purpose addresses as HELO (brackets removed first).
const CHECKS_HELLO_BADIP: RegExp[] = [
  /^\d\.\d\.\d\.255$/i, /^192\.0\.0\./i, /^2001:db8::/i, /^10\./i, /^192\.0\.2\./i, /^172\.1[6-9]\./i,
  /^192\.168\./i, /^::1$/i, /^ffxx::/i, /^fc00::/i, /^203\.0\.113\./i, /^fe[cdf][0-9a-f]:/i, /^100.12[0-7]\d\./i,
  /^fe[89ab][0-9a-f]::/i, /^169\.254\./i, /^0\./i, /^198\.51\.100\./i, /^172\.3[01]\./i, /^100.[7-9]\d\./i,
  /^100.1[01]\d\./i, /^127\./i, /^100.6[4-9]\./i, /^192\.88\.99\./i, /^172\.2[0-9]\./i,
];
const CHECKS_HELLO_BAREIP: RegExp[] = [/^\d+[x.-]\d+[x.-]\d+[x.-]\d+$/, /^[0-9a-f]+:/];
// hfilter.lua check_fqdn.
const FQDN = /^(?=.{4,253}$)((?!-)[a-zA-Z0-9-]{1,63}(?<!-)\.)+[a-zA-Z0-9-]{2,63}\.?$/;

function maxWeight(name: string, ...tables: [RegExp, number][][]): number {
  let w = 0;
  for (const table of tables) for (const [re, weight] of table) if (weight > w && re.test(name)) w = weight;
  return w;
}

/** /etc/rspamd/options.inc local_addrs (and loopback): hfilter and once_received skip these clients. */
function isLocal(ip: string): boolean {
  const p = parseIp(ip);
  if (!p.ok) return false;
  const t = p.ip;
  return /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|127\.)/.test(t) || /^(fd|fe[89ab])/i.test(t) || t === '::1';
}

const SPF_SYMBOL: Partial<Record<SpfResultCode, string>> = {
  pass: 'R_SPF_ALLOW', fail: 'R_SPF_FAIL', softfail: 'R_SPF_SOFTFAIL', neutral: 'R_SPF_NEUTRAL', none: 'R_SPF_NA', temperror: 'R_SPF_DNSFAIL',
};

interface Hit { rule: string; why: string; doc: string }

function hits(input: ReceiverInput): { hits: Hit[]; unmodelled: string[] } {
  const c = connectionOf(input);
  const out: Hit[] = [];
  const unmodelled: string[] = [];
  const hf = `${DOC}hfilter.html`;
  if (!isLocal(c.ip)) {
    // hfilter: HELO checks, then the host name, then the MAIL FROM domain.
    let weightHelo = 0;
    const helo = c.helo.replace(/[[\]]/g, '');
    if (helo !== '') {
      if (CHECKS_HELLO_BADIP.some((re) => re.test(helo))) out.push({ rule: 'HFILTER_HELO_BADIP', why: `The HELO name ${c.helo} is a special-purpose address.`, doc: hf });
      else if (CHECKS_HELLO_BAREIP.some((re) => re.test(helo))) out.push({ rule: 'HFILTER_HELO_BAREIP', why: `The HELO name ${c.helo} is an address, not a name.`, doc: hf });
      else {
        weightHelo = maxWeight(helo, CHECKS_HELLO, CHECKS_HELLOHOST);
        if (weightHelo === 0) {
          if (!FQDN.test(helo)) out.push({ rule: 'HFILTER_HELO_NOT_FQDN', why: `The HELO name ${c.helo} is not a fully qualified domain name.`, doc: hf });
          else if (input.heloCheck && input.heloCheck.resolves === false) {
            // Neither A nor AAAA: HFILTER_HELO_IP_A, then the MX lookup.
            out.push({ rule: 'HFILTER_HELO_IP_A', why: `The HELO name ${c.helo} has no A or AAAA record.`, doc: hf });
            if (input.heloCheck.mx.length === 0) out.push({ rule: 'HFILTER_HELO_NORES_A_OR_MX', why: `The HELO name ${c.helo} has no A, AAAA or MX record.`, doc: hf });
          }
        }
      }
    }
    const weightHost = c.clientName ? maxWeight(c.clientName, CHECKS_HELLOHOST) : 0;
    if (!c.clientName) out.push({ rule: 'HFILTER_HOSTNAME_UNKNOWN', why: 'The receiving MTA has no verified host name for the client to pass on (no PTR name that resolves back).', doc: hf });
    if (weightHelo > 0 && weightHelo >= weightHost) out.push({ rule: `HFILTER_HELO_${weightHelo}`, why: `The HELO name ${c.helo} looks like a dynamic or unqualified host's name (weight ${weightHelo} of 5).`, doc: hf });
    else if (weightHost > 0 && weightHost > weightHelo) out.push({ rule: `HFILTER_HOSTNAME_${weightHost}`, why: `The host name ${c.clientName} looks like a dynamic or residential address's name (weight ${weightHost} of 5).`, doc: hf });
    const fromDomain = input.spf?.identity === 'mailfrom' ? input.spf.domain : undefined;
    if (fromDomain) {
      if (!FQDN.test(fromDomain)) out.push({ rule: 'HFILTER_FROMHOST_NOT_FQDN', why: `The MAIL FROM domain ${fromDomain} is not a fully qualified domain name.`, doc: hf });
      else if (input.fromDomainExists === false) out.push({ rule: 'HFILTER_FROMHOST_NORES_A_OR_MX', why: `The MAIL FROM domain ${fromDomain} has no A, AAAA or MX record.`, doc: hf });
    }
    // once_received: with no host name from the MTA, rspamd looks the PTR up itself (no forward check).
    if (!c.clientName && input.rdns.ptr.length === 0) {
      const first = input.rdns.chain[0];
      if (first && first.rcode !== 'NOERROR' && first.rcode !== 'NXDOMAIN') out.push({ rule: 'RDNS_DNSFAIL', why: `The PTR lookup failed (${first.rcode}).`, doc: `${DOC}once_received.html` });
      out.push({ rule: 'RDNS_NONE', why: `${c.ip} has no PTR record.`, doc: `${DOC}once_received.html` });
    }
  }
  const spf = input.spf;
  let spfSymbol: string | undefined;
  if (spf) {
    spfSymbol = SPF_SYMBOL[spf.result];
    if (spfSymbol) out.push({ rule: spfSymbol, why: `SPF for ${spf.domain}: ${spf.result}.`, doc: `${DOC}spf.html` });
    else unmodelled.push(`SPF: check_host() gives permerror (${spf.reason}); rspamd 3.4's SPF parser is more lenient (it skips unknown mechanisms and uses one of several records), so its result and the DMARC result built on it are not modelled.`);
    if ((spf.result === 'fail' || spf.result === 'softfail') && input.tls === false)
      out.push({ rule: 'VIOLATED_DIRECT_SPF', why: 'SPF fails or soft-fails and the last hop did not use TLS.', doc: 'https://rspamd.com/doc/configuration/composites.html' });
  }
  const dkim = rspamdDkimHits(input);
  for (const h of dkim.hits) out.push({ ...h, doc: `${DOC}dkim.html` });
  if (dkim.unmodelled) unmodelled.push(dkim.unmodelled);
  const d = input.dmarc;
  const spfModelled = !spf || spfSymbol !== undefined;
  if (d && spfModelled && !dkim.unmodelled) {
    const dm = `${DOC}dmarc.html`;
    if (d.result === 'none' || !d.policy) out.push({ rule: 'DMARC_NA', why: `No DMARC record for ${d.fromDomain}.`, doc: dm });
    else if (d.result === 'pass') out.push({ rule: 'DMARC_POLICY_ALLOW', why: 'DMARC passes (aligned SPF or DKIM).', doc: dm });
    else if (d.result === 'fail') {
      const p = d.policy.value;
      const rule = p === 'reject' ? 'DMARC_POLICY_REJECT' : p === 'quarantine' ? 'DMARC_POLICY_QUARANTINE' : 'DMARC_POLICY_SOFTFAIL';
      out.push({ rule, why: `DMARC fails and the domain's policy is p=${p}.`, doc: dm });
    }
  }
  // composites.conf AUTH_NA: R_DKIM_NA & R_SPF_NA & DMARC_NA & ARC_NA; AUTH_NA_OR_FAIL: not that, but
  // (R_DKIM_NA | R_DKIM_TEMPFAIL | R_DKIM_PERMFAIL) & (R_SPF_NA | R_SPF_DNSFAIL) & DMARC_NA & ARC_NA.
  // No ARC signature is modelled; without a known message the mail counts as unsigned.
  const has = (rule: string) => out.some((h) => h.rule === rule);
  const dkimNa = !input.dkim || input.dkim.length === 0;
  const composites = 'https://rspamd.com/doc/configuration/composites.html';
  const authNa = dkimNa && has('R_SPF_NA') && has('DMARC_NA');
  if (authNa) out.push({ rule: 'AUTH_NA', why: 'Neither SPF, DKIM, DMARC nor ARC says anything about this mail.', doc: composites });
  else if ((dkimNa || has('R_DKIM_TEMPFAIL') || has('R_DKIM_PERMFAIL')) && (has('R_SPF_NA') || has('R_SPF_DNSFAIL')) && has('DMARC_NA'))
    out.push({ rule: 'AUTH_NA_OR_FAIL', why: 'No authentication method (SPF, DKIM, DMARC, ARC) succeeded.', doc: composites });
  for (const h of rspamdDnsblHits(input)) out.push({ rule: h.rule, why: h.why, doc: 'https://rspamd.com/doc/modules/rbl.html' });
  return { hits: out, unmodelled };
}

/** The action a score gets under the given thresholds (default: actions.conf's). */
export function rspamdAction(score: number, t: { greylist?: number; addHeader?: number; reject?: number } = {}): ReceiverRow['verdict'] {
  const reject = t.reject ?? KNOB_DEFAULTS.rspamd.reject, add = t.addHeader ?? KNOB_DEFAULTS.rspamd.addHeader, grey = t.greylist ?? KNOB_DEFAULTS.rspamd.greylist;
  return score >= reject ? 'reject' : score >= add ? 'add header' : score >= grey ? 'greylist' : 'no action';
}

/** The rows for rspamd: one per symbol, then the action its default thresholds give. */
export function rspamdRows(input: ReceiverInput): ReceiverRow[] {
  const { hits: hs, unmodelled } = hits(input);
  const rows: ReceiverRow[] = hs.map((h) => ({ receiver: 'rspamd', version: RSPAMD_VERSION, rule: h.rule, verdict: 'hit', score: RSPAMD_WEIGHTS[h.rule], why: h.why, docUrl: h.doc }));
  dmarcAllowWithFailures(rows, RSPAMD_VERSION);
  // composites.conf BAD_REP_POLICIES: "(~g-:policies) & (-g+:rbl …)": a listed address (a positive RBL
  // symbol) takes the weight off the good policy symbols (R_SPF_ALLOW, DMARC_POLICY_ALLOW) and adds 0.1.
  const goodPolicies = rows.filter((r) => POLICY_GOOD.has(r.rule));
  if (goodPolicies.length > 0 && rows.some((r) => r.rule.startsWith('RBL_') && (r.score ?? 0) > 0)) {
    for (const r of goodPolicies) {
      r.score = 0;
      r.why += ' Its weight is taken off because the address is on a blocklist (composite BAD_REP_POLICIES).';
    }
    rows.push({ receiver: 'rspamd', version: RSPAMD_VERSION, rule: 'BAD_REP_POLICIES', verdict: 'hit', score: RSPAMD_WEIGHTS.BAD_REP_POLICIES, why: 'The mail passes its sender policies but the address is on a blocklist.', docUrl: 'https://rspamd.com/doc/configuration/composites.html' });
  }
  const total = Math.round(rows.reduce((s, r) => s + (r.score ?? 0), 0) * 100) / 100;
  const t = input.knobs?.rspamd ?? {};
  const action = rspamdAction(total, t);
  const configured = (t.greylist ?? RSPAMD_ACTIONS.greylist) !== RSPAMD_ACTIONS.greylist || (t.addHeader ?? RSPAMD_ACTIONS['add header']) !== RSPAMD_ACTIONS['add header'] || (t.reject ?? RSPAMD_ACTIONS.reject) !== RSPAMD_ACTIONS.reject;
  const notes = [
    `The connection alone scores ${total}: greylist from ${t.greylist ?? RSPAMD_ACTIONS.greylist}, add header from ${t.addHeader ?? RSPAMD_ACTIONS['add header']}, reject from ${t.reject ?? RSPAMD_ACTIONS.reject} (${configured ? 'mailDns.receivers.rspamd' : 'actions.conf'}); the message's content adds its own.`,
    ...(input.tls === undefined && (input.spf?.result === 'fail' || input.spf?.result === 'softfail') ? ['Assumes the connection used TLS: without it, VIOLATED_DIRECT_SPF adds 3.5.'] : []),
    ...unmodelled,
  ];
  rows.push({
    receiver: 'rspamd', version: RSPAMD_VERSION, rule: 'action', verdict: action, score: total,
    why: notes.join(' '), docUrl: 'https://rspamd.com/doc/configuration/metrics.html',
  });
  return rows;
}
