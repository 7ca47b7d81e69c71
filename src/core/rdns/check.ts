// "Check rDNS for IP": the PTR lookup, forward confirmation (RFC 8601 §3 iprev) and the whole
// chain an admin walks by hand (IP → PTR names → their addresses → their PTRs → …).
//
// The walk goes breadth-first, one hop per level, with every lookup of a level in flight at once,
// so its wall time is about (levels × one round trip). Receivers look at the first two hops only;
// the rest of the chain is shown because it is what admins look at, and it finds the other
// addresses whose PTRs need fixing (the seed's loop).
import { budgetFinding, createBudget, firstAnswers, LIMITS, withBudget } from '../dns/budget';
import { isTemporary, type LookupResult, type Resolver } from '../dns/types';
import { canonicalIp, parseIp, reverseName, specialPurpose } from '../ip';
import type { Finding, IprevResult, Status } from '../model';
import { findZone } from '../dns/zone';
import { genericNameReason, looksLikeAddress, postfixHostnameProblem } from './names';
import { gmailVerdict, type PeerLookup, type PeerStatus, postfixTemporary, postfixVerdicts } from './receivers';
import { chooseHostName, type KnownName, mergeKnownNames } from './hostName';
import type { ChainStep, HopNode, RdnsResult } from './types';

export interface RdnsOptions {
  resolver: Resolver;
  /** The receiving Postfix's unknown_client_reject_code (450; mailDns.receivers.postfix.unknownClientRejectCode). */
  unknownClientRejectCode?: number;
  /** Hops to follow before stopping (default 8). */
  maxSteps?: number;
  /** Answers followed per node (default 10); the rest are listed as cut. */
  maxFanout?: number;
  /** Lookups in all (default 64), a bound for hostile zones, checked before each lookup. */
  maxLookups?: number;
  /** DNS queries in all, CNAME chasing and zone lookups included (default 160): the check's query budget. */
  maxQueries?: number;
  /**
   * Look up the zone (SOA) that holds each record a fix names (default true). The address-range
   * audit turns it off: it lists verdicts, and a row opened as a report runs the whole check.
   */
  zoneLookups?: boolean;
  /**
   * Look up only the checked address's family (A for IPv4) for each name, as receivers do (RFC 8601
   * §3), not both (default false). The audit sets it: a third fewer queries; a name with only the
   * other family's records is then reported as having no address of this family.
   */
  sameFamilyOnly?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; message: string }) => void;
  /**
   * Names known to have the address besides what the walk finds (the workspace's zones, the HELO
   * name): a PTR fix names the best of them instead of a placeholder (hostName.ts).
   */
  knownNames?: readonly KnownName[];
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

interface NodeLookups {
  node: HopNode;
  /** Steps made for this node: one PTR step, or an A and an AAAA step. */
  steps: ChainStep[];
}

const DEFAULT_TTL = 3600;

export async function checkRdns(ipText: string, options: RdnsOptions): Promise<RdnsResult> {
  const parsed = parseIp(ipText);
  if (!parsed.ok) throw new InputError(parsed.error);
  const { ip, family } = parsed;
  const { signal } = options;
  const maxSteps = options.maxSteps ?? 8;
  const maxFanout = options.maxFanout ?? 10;
  const maxLookups = options.maxLookups ?? LIMITS.rdnsLookups;
  const budget = createBudget('rDNS check', options.maxQueries ?? LIMITS.rdnsQueries);
  const resolver = withBudget(options.resolver, budget);
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const special = specialPurpose(ip);
  signal?.throwIfAborted();

  const chain: ChainStep[] = [];
  const root: HopNode = { kind: 'ip', value: ip, status: 'info', children: [] };
  const seenIps = new Map<string, number>([[ip, 0]]);
  const seenNames = new Map<string, number>();
  const lookupsOf = new Map<HopNode, NodeLookups>();
  /** The address each name node came from (its A/AAAA step keeps it among the answers it lists). */
  const cameFrom = new Map<HopNode, string>();
  let frontier: HopNode[] = [root];
  let lookups = 0;
  /** Nodes left unlooked because the lookup budget was used up. */
  let overBudget = 0;

  for (let depth = 1; frontier.length > 0; depth++) {
    if (depth > maxSteps) {
      for (const n of frontier) {
        n.end = 'bound';
        n.note = `walk stopped: ${maxSteps} hops reached`;
      }
      break;
    }
    // Start every lookup of this level before awaiting any. The lookup budget is checked before
    // each node's lookups, not once per level: one wide level would otherwise overshoot it.
    const jobs: { node: HopNode; qname: string; types: readonly ('PTR' | 'A' | 'AAAA')[]; results: Promise<LookupResult[]> }[] = [];
    for (const node of frontier) {
      const types = node.kind === 'ip' ? (['PTR'] as const) : options.sameFamilyOnly ? ([family === 4 ? 'A' : 'AAAA'] as const) : (['A', 'AAAA'] as const);
      if (lookups + types.length > maxLookups) {
        node.end = 'budget';
        node.note = `walk stopped: the budget of ${maxLookups} lookups is used up`;
        overBudget++;
        continue;
      }
      const qname = node.kind === 'ip' ? reverseName(node.value) : node.value;
      lookups += types.length;
      jobs.push({ node, qname, types, results: Promise.all(types.map((t) => resolver.lookup(qname, t, { signal }))) });
    }
    const next: HopNode[] = [];
    for (const job of jobs) {
      const results = await job.results;
      const steps: ChainStep[] = [];
      job.types.forEach((type, i) => {
        const step = toStep(chain.length, job.qname, type, job.node, results[i], resolver, depth, [ip, cameFrom.get(job.node) ?? ip]);
        chain.push(step);
        steps.push(step);
        options.onProgress?.({ done: chain.length, message: `${type} ${job.qname}` });
      });
      lookupsOf.set(job.node, { node: job.node, steps });
      expand(job.node, steps, depth, next);
    }
    frontier = next;
  }

  function expand(node: HopNode, steps: ChainStep[], depth: number, next: HopNode[]): void {
    const answers: { value: string; step: ChainStep }[] = [];
    for (const s of steps) for (const a of s.answers) answers.push({ value: a, step: s });
    const total = answers.length + steps.reduce((n, s) => n + (s.answersOmitted ?? 0), 0);
    if (answers.length === 0) {
      const bad = steps.find((s) => isTemporary(s.rcode));
      node.end = bad ? 'error' : 'no-data';
      node.note = bad ? `${bad.type} lookup failed: ${bad.rcode}` : steps.map((s) => `${s.type}: ${s.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'no data'}`).join(', ');
      return;
    }
    if (total > maxFanout) {
      node.end = 'fanout';
      node.note = `${total} answers; the walk follows the first ${maxFanout}`;
    }
    // The start address goes first, so a cut never hides the step that closes the chain.
    answers.sort((a, b) => Number(canonicalIp(b.value) === ip) - Number(canonicalIp(a.value) === ip));
    for (const { value, step } of answers.slice(0, maxFanout)) {
      const child: HopNode = {
        kind: node.kind === 'ip' ? 'name' : 'ip',
        value: node.kind === 'ip' ? value : canonicalIp(value),
        step: step.index,
        type: step.type,
        ttl: step.ttl,
        status: 'info',
        children: [],
      };
      node.children.push(child);
      if (child.kind === 'name') cameFrom.set(child, node.value);
      if (child.kind === 'ip' && child.value === ip) {
        child.end = 'closes';
        child.note = `back to ${ip}: forward-confirmed`;
      } else if (child.kind === 'ip' && seenIps.has(child.value)) {
        child.end = 'loop';
        child.note = `already seen at hop ${seenIps.get(child.value)}`;
      } else if (child.kind === 'name' && seenNames.has(child.value)) {
        child.end = 'loop';
        child.note = `already seen at hop ${seenNames.get(child.value)}`;
      } else {
        (child.kind === 'ip' ? seenIps : seenNames).set(child.value, depth);
        next.push(child);
      }
    }
  }

  const rootLookups = lookupsOf.get(root);
  const ptrStep = rootLookups?.steps[0];
  const ptrNames = ptrStep ? ptrStep.answers : [];
  const sameFamily = family === 4 ? 'A' : 'AAAA';
  const nameNodes = root.children;

  // RFC 8601 §3 iprev: pass when some PTR name's addresses include the IP.
  const confirmed: string[] = [];
  let forwardTemp = false;
  for (const n of nameNodes) {
    const s = lookupsOf.get(n)?.steps.find((x) => x.type === sameFamily);
    // A PTR name the budget kept from being looked up might have confirmed: undecided, not fail.
    if (!s) {
      if (n.end === 'budget') forwardTemp = true;
      continue;
    }
    if (isTemporary(s.rcode)) forwardTemp = true;
    if (s.answers.some((a) => canonicalIp(a) === ip)) confirmed.push(n.value);
  }
  let fcrdns: IprevResult;
  if (!ptrStep || isTemporary(ptrStep.rcode)) fcrdns = 'temperror';
  else if (ptrNames.length === 0) fcrdns = 'permerror';
  else if (confirmed.length > 0) fcrdns = 'pass';
  else if (forwardTemp) fcrdns = 'temperror';
  else fcrdns = 'fail';

  // Statuses and the node where the chain goes wrong.
  root.status = fcrdns === 'pass' ? 'pass' : fcrdns === 'temperror' ? 'warning' : 'fail';
  if (fcrdns === 'permerror' || (fcrdns === 'temperror' && ptrNames.length === 0)) root.wrong = true;
  const loop = fcrdns !== 'pass' && hasLoop(root);
  markStatuses(root, lookupsOf, sameFamily, fcrdns);
  if (fcrdns === 'fail' || fcrdns === 'temperror') {
    const culprit = nameNodes.find((n) => n.status === 'fail') ?? nameNodes.find((n) => n.status === 'warning');
    if (culprit) culprit.wrong = true;
  }

  // Postfix's view: one reverse name (the first), checked for syntax, then confirmed in the client's family.
  const peer = postfixPeer(ip, ptrStep, nameNodes, lookupsOf, sameFamily);
  const receivers = [...postfixVerdicts(ip, peer, options.unknownClientRejectCode), gmailVerdict(ip, fcrdns)];
  const postfix = {
    reject_unknown_reverse_client_hostname: receivers[0].verdict,
    reject_unknown_client_hostname: receivers[1].verdict,
  };

  // Fixes name the zone that holds each record to change: look those zones up all at once, one
  // round trip, instead of one after another while the findings are written.
  const zones = new Map<string, Promise<string | undefined>>();
  const zoneOf = (name: string) => {
    if (options.zoneLookups === false) return Promise.resolve(undefined);
    let z = zones.get(name);
    if (!z) zones.set(name, (z = findZone(resolver, name, signal)));
    return z;
  };
  if (ptrStep && !isTemporary(ptrStep.rcode) && (fcrdns !== 'pass' || ptrNames.length > 1)) {
    const wanted = [recordOwner(ptrStep)];
    if (fcrdns !== 'pass') {
      for (const n of nameNodes) wanted.push(n.value);
      for (const [node, look] of lookupsOf) if (node !== root && node.kind === 'ip' && look.steps[0]) wanted.push(recordOwner(look.steps[0]));
    }
    await Promise.all(wanted.map(zoneOf));
  }
  const findings = await buildFindings();
  // The budgets, whatever the findings above returned early on.
  if (overBudget > 0) {
    const unlooked = nameNodes.filter((n) => n.end === 'budget').map((n) => n.value);
    const first = findEnd(root, 'budget');
    const s = first?.step !== undefined ? chain[first.step] : undefined;
    findings.push({
      code: 'chain-lookup-budget',
      severity: unlooked.length > 0 ? 'warning' : 'info',
      message:
        `The walk stopped after ${lookups} lookups (its budget of ${maxLookups}, a bound against hostile zones): ${overBudget} ${overBudget === 1 ? 'node was' : 'nodes were'} not looked up.` +
        (unlooked.length > 0 ? ` Among them PTR names receivers would check (${unlooked.slice(0, 5).join(', ')}${unlooked.length > 5 ? ', …' : ''}), so iprev is undecided unless another name confirms.` : ''),
      ...(s ? { dig: s.dig, step: s.index } : {}),
    });
  }
  const overQueries = budgetFinding(budget, 'The lookups it stopped are shown as DNS trouble (rcode BUDGET).');
  if (overQueries) findings.push(overQueries);

  return {
    kind: 'rdns',
    ip,
    family,
    reverseName: reverseName(ip),
    ...(special ? { special } : {}),
    ptr: ptrNames,
    confirmed,
    fcrdns,
    chain,
    tree: root,
    loop,
    postfix,
    receivers,
    findings,
    resolvers: resolver.servers(),
    startedAt,
    elapsedMs: Date.now() - started,
  };

  async function buildFindings(): Promise<Finding[]> {
    const out: Finding[] = [];
    if (special) {
      const privateUse = /Private|Shared|Loopback|Link/.test(special.name);
      out.push({
        code: 'ip-special-purpose',
        severity: 'warning',
        message:
          `${ip} is in ${special.network}, ${special.name} (${special.rfc}): receivers on the Internet never see mail from this address. ` +
          (privateUse
            ? 'Your server is probably behind NAT: check the public address receivers see (in the bounce or the Received header). '
            : '') +
          'The check goes on anyway.',
      });
    }
    if (!ptrStep) return out;
    const ptrOwner = recordOwner(ptrStep);
    const candidates = namesPointingBackTo(root, ip);
    // The name a PTR fix proposes, other than `not`: from the workspace, the HELO name or the walk.
    const hostNameFor = (not?: string) =>
      chooseHostName(
        ip,
        mergeKnownNames([options.knownNames ?? [], candidates.map((name) => ({ name, source: 'DNS (found by the chain walk)' }))]).filter((k) => k.name !== not),
      );

    if (ptrStep.cnames.length > 0) {
      const path = [ptrStep.query, ...ptrStep.cnames.map((c) => c.target)].join(' → ');
      out.push({
        code: 'ptr-via-cname',
        severity: 'info',
        message: `The PTR is reached through a CNAME (${path}): RFC 2317 classless delegation. The PTR record itself lives at ${ptrOwner}, in the zone of whoever the block is delegated to.`,
        dig: ptrStep.dig,
        step: ptrStep.index,
      });
    }

    if (isTemporary(ptrStep.rcode)) {
      out.push(dnsTrouble(ptrStep, 'error', 'iprev is temperror: receivers defer (4xx) and the sender retries.'));
      return out;
    }

    if (ptrNames.length === 0) {
      const zone = await zoneOf(ptrOwner);
      const chosen = hostNameFor();
      const proposed = chosen?.name;
      out.push({
        code: 'ptr-missing',
        severity: 'error',
        message: `${ip} has no PTR record (${ptrStep.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'NOERROR with no PTR data'} for ${ptrOwner}). Receivers that check reverse DNS reject or defer its mail (iprev permerror).`,
        dig: ptrStep.dig,
        step: ptrStep.index,
        fix: {
          description:
            (chosen
              ? `Publish a PTR record for ${ptrOwner} naming ${chosen.name}, whose ${sameFamily} record is ${ip} (${chosen.source}). `
              : `Publish a PTR record for ${ptrOwner} naming this server's host name, a name whose ${sameFamily} record is ${ip}. `) +
            `The reverse zone${zone ? ` (${zone})` : ''} belongs to whoever holds the address block, usually the ISP or hosting provider: ask them, or use their "reverse DNS" setting.`,
          zone,
          owner: ptrOwner,
          type: 'PTR',
          proposed,
          ...(chosen ? { proposedFrom: chosen.source } : {}),
          record: `${ptrOwner}. ${DEFAULT_TTL} IN PTR ${proposed ?? '<this server’s host name>'}.`,
        },
      });
      return out;
    }

    if (ptrNames.length > 1) {
      const parts = nameNodes.map((n) => `${n.value} (${confirmed.includes(n.value) ? 'resolves back' : 'does not resolve back'})`);
      const bad = nameNodes.filter((n) => !confirmed.includes(n.value)).map((n) => n.value);
      out.push({
        code: 'ptr-multiple',
        severity: bad.length > 0 ? 'warning' : 'info',
        message:
          `${ip} has ${ptrNames.length + (ptrStep.answersOmitted ?? 0)} PTR names: ${parts.join(', ')}${ptrStep.answersOmitted || ptrNames.length > nameNodes.length ? ', …' : ''}. Resolvers return them in changing order and many receivers (Postfix among them) look at the first only` +
          (bad.length > 0 ? ', so some connections fail the check.' : '.'),
        dig: ptrStep.dig,
        step: ptrStep.index,
        ...(bad.length > 0 && confirmed.length > 0
          ? {
              fix: {
                description: `Keep one PTR record (${confirmed[0]}) and delete ${bad.join(', ')}.`,
                owner: ptrOwner,
                type: 'PTR',
                current: bad.join(', '),
                proposed: confirmed[0],
                record: `${ptrOwner}. ${ptrStep.ttl ?? DEFAULT_TTL} IN PTR ${confirmed[0]}.`,
                zone: await zoneOf(ptrOwner),
              },
            }
          : {}),
      });
    }

    for (const n of nameNodes) {
      const steps = lookupsOf.get(n)?.steps ?? [];
      const same = steps.find((s) => s.type === sameFamily);
      const other = steps.find((s) => s.type !== sameFamily);
      const syntax = looksLikeAddress(n.value) ? 'it is an address, not a name' : postfixHostnameProblem(n.value);
      if (syntax) {
        out.push({
          code: looksLikeAddress(n.value) ? 'ptr-numeric' : 'ptr-invalid-name',
          severity: 'error',
          message: `The PTR name ${JSON.stringify(n.value)} is not a valid host name: ${syntax}. Postfix and other receivers treat the client as "unknown".`,
          dig: ptrStep.dig,
          step: ptrStep.index,
        });
      }
      const generic = genericNameReason(n.value, ip);
      if (generic) {
        out.push({
          code: 'ptr-generic',
          severity: 'warning',
          message: `The PTR name ${n.value} looks generic or dynamic (${generic}). Spam filters score such names as home or dial-up connections, and some receivers refuse them outright. A mail server should have a PTR naming the server itself.`,
          dig: ptrStep.dig,
          step: ptrStep.index,
          fix: {
            description: `Ask the address holder to set the PTR of ${ip} to the server's own name (one whose ${sameFamily} record is ${ip}).`,
            owner: ptrOwner,
            type: 'PTR',
            current: n.value,
            proposed: hostNameFor(n.value)?.name,
          },
        });
      }
      if (!same) continue;
      if (isTemporary(same.rcode)) {
        out.push(dnsTrouble(same, 'error', `Whether ${n.value} resolves back to ${ip} is unknown: iprev temperror unless another PTR name confirms.`));
        continue;
      }
      if (confirmed.includes(n.value)) continue;
      const otherAnswers = other && !isTemporary(other.rcode) ? other.answers : [];
      const chosen = hostNameFor(n.value);
      const fixPtr = chosen?.name;
      const fromWhere = chosen && chosen.source !== 'DNS (found by the chain walk)' ? ` (${chosen.source})` : '';
      if (same.answers.length === 0) {
        const zone = await zoneOf(n.value);
        out.push({
          code: otherAnswers.length > 0 ? 'ptr-name-wrong-family' : 'ptr-name-no-address',
          severity: 'error',
          message:
            otherAnswers.length > 0
              ? `The PTR name ${n.value} has ${other!.type} records but no ${sameFamily} record; receivers confirm ${ip} against ${sameFamily} records only.`
              : `The PTR name ${n.value} has no address record (${same.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : `no ${sameFamily} data`}), so it cannot confirm ${ip}.`,
          dig: same.dig,
          step: same.index,
          fix: fixPtr
            ? ptrFix(ptrOwner, n.value, fixPtr, await zoneOf(ptrOwner), `${fixPtr} already has the ${sameFamily} record ${ip}${fromWhere}.`, chosen?.source)
            : {
                description: `Add the ${sameFamily} record ${n.value} → ${ip}${zone ? ` in the zone ${zone}` : ''}, or point the PTR at a name that has it.`,
                zone,
                owner: n.value,
                type: sameFamily,
                proposed: ip,
                record: `${n.value}. ${DEFAULT_TTL} IN ${sameFamily} ${ip}`,
              },
        });
      } else {
        out.push({
          code: 'ptr-name-mismatch',
          severity: 'error',
          message: `The PTR name ${n.value} resolves to ${same.answers.join(', ')}, not to ${ip}. Receivers check exactly this step (${ip} → ${n.value} → ${ip}) and nothing further, so the check fails however the rest of the chain looks.`,
          dig: same.dig,
          step: same.index,
          fix: fixPtr
            ? ptrFix(ptrOwner, n.value, fixPtr, await zoneOf(ptrOwner), `${fixPtr} has the ${sameFamily} record ${ip}${fromWhere}.`, chosen?.source)
            : {
                description:
                  `Give this server its own host name with the ${sameFamily} record ${ip} and set the PTR of ${ip} to it. ` +
                  `Adding ${ip} to ${n.value}'s own ${sameFamily} records also confirms it, but only do that if ${n.value} is this server's name: ` +
                  `if it is your MX or shared with other hosts, mail and clients would be sent to this server too.`,
                zone: await zoneOf(ptrOwner),
                owner: ptrOwner,
                type: 'PTR',
                current: n.value,
                record: `${ptrOwner}. ${ptrStep.ttl ?? DEFAULT_TTL} IN PTR <this server’s host name>.`,
              },
        });
      }
    }

    // The rest of the chain: addresses met on the way whose own PTR does not resolve back. Only
    // worth saying when the check failed: then these are the other records an admin will be editing.
    for (const [node, look] of fcrdns === 'pass' ? [] : lookupsOf) {
      if (node === root || node.kind !== 'ip' || look.steps.length === 0) continue;
      const s = look.steps[0];
      if (isTemporary(s.rcode)) {
        out.push(dnsTrouble(s, 'warning', `The chain stops at ${node.value}.`));
        continue;
      }
      const names = node.children.map((c) => c.value);
      const backs = node.children.filter((c) => c.status === 'pass');
      if (backs.length > 0) continue;
      const parentName = parentOf(root, node);
      const fam = node.value.includes(':') ? 'AAAA' : 'A';
      const owner = recordOwner(s);
      out.push({
        code: 'chain-hop-mismatch',
        severity: 'info',
        message:
          names.length === 0
            ? `${node.value} (an address of ${parentName?.value ?? 'a name in the chain'}) has no PTR record. That matters only if ${node.value} sends mail itself.`
            : `${node.value} (an address of ${parentName?.value ?? 'a name in the chain'}) has PTR ${names.join(', ')}, which does not resolve back to it. That matters only if ${node.value} sends mail itself.`,
        dig: s.dig,
        step: s.index,
        ...(parentName
          ? {
              fix: {
                description: `If ${node.value} sends mail, set its PTR to ${parentName.value} (whose ${fam} record is ${node.value}).`,
                zone: await zoneOf(owner),
                owner,
                type: 'PTR',
                current: names.join(', ') || undefined,
                proposed: parentName.value,
                record: `${owner}. ${s.ttl ?? DEFAULT_TTL} IN PTR ${parentName.value}.`,
              },
            }
          : {}),
      });
    }

    // Each chain finding points at the lookup that shows it.
    const stepOf = (n: HopNode | undefined) => (n?.step !== undefined ? chain[n.step] : undefined);
    const at = (n: HopNode | undefined) => {
      const s = stepOf(n);
      return s ? { dig: s.dig, step: s.index } : {};
    };
    if (loop) {
      out.push({
        code: 'chain-loop',
        severity: 'warning',
        message:
          `The chain loops: ${loopPath(root)}. Receivers do not walk chains like this: each checks one step only, IP → PTR name → address (RFC 8601 §3), ` +
          `so what matters for ${ip} is that its own PTR name resolves back to ${ip}. The loop shows which other addresses' PTRs are wrong too.`,
        ...at(findEnd(root, 'loop')),
      });
    }
    const bound = findEnd(root, 'bound');
    if (bound) {
      out.push({ code: 'chain-bound', severity: 'info', message: `The walk stopped after ${maxSteps} hops (setting mailDns.maxChainSteps) before the chain closed.`, ...at(bound) });
    }

    const fan = findEnd(root, 'fanout');
    if (fan) {
      // The lookup whose answer was cut is the fanned-out node's own.
      const steps = lookupsOf.get(fan)?.steps ?? [];
      const own = steps.find((s) => s.answers.length + (s.answersOmitted ?? 0) > maxFanout) ?? steps[0];
      out.push({ code: 'chain-fanout', severity: 'info', message: `${fan.value}: ${fan.note}.`, ...(own ? { dig: own.dig, step: own.index } : {}) });
    }

    if (fcrdns === 'pass') {
      out.push({
        code: 'fcrdns-pass',
        severity: 'info',
        message: `${ip} → ${confirmed[0]} → ${ip}: forward-confirmed reverse DNS (iprev pass).`,
        dig: ptrStep.dig,
        step: ptrStep.index,
      });
    }
    return out;
  }
}

/** Where a step's record lives: its query name, or the end of the CNAME chain (RFC 2317 delegation). */
export function recordOwner(step: Pick<ChainStep, 'query' | 'cnames'>): string {
  return step.cnames.length > 0 ? step.cnames[step.cnames.length - 1].target : step.query;
}

/** The owner name of the checked IP's PTR record: the record a PTR fix changes. */
export function ptrRecordOwner(r: RdnsResult): string {
  return r.chain[0] ? recordOwner(r.chain[0]) : r.reverseName;
}

function ptrFix(owner: string, current: string, proposed: string, zone: string | undefined, why: string, from?: string) {
  return {
    description: `Change the PTR of ${owner} from ${current} to ${proposed}: ${why}`,
    zone,
    owner,
    type: 'PTR',
    current,
    proposed,
    ...(from ? { proposedFrom: from } : {}),
    record: `${owner}. ${DEFAULT_TTL} IN PTR ${proposed}.`,
  };
}

function dnsTrouble(step: ChainStep, severity: 'error' | 'warning', consequence: string): Finding {
  const code =
    step.rcode === 'TIMEOUT' ? 'dns-timeout' : step.rcode === 'UNREACHABLE' ? 'dns-unreachable' : step.rcode === 'SERVFAIL' ? 'dns-servfail' : step.rcode === 'REFUSED' ? 'dns-refused' : `dns-${step.rcode.toLowerCase()}`;
  return {
    code,
    severity,
    message: `The ${step.type} query for ${step.query} to ${step.server} failed: ${step.error ?? step.rcode}. ${consequence}`,
    dig: step.dig,
    step: step.index,
  };
}

function toStep(index: number, query: string, type: 'PTR' | 'A' | 'AAAA', node: HopNode, r: LookupResult, resolver: Resolver, depth: number, keep: string[]): ChainStep {
  const all = r.records.map((x) => (type === 'PTR' ? String(x.data) : canonicalIp(String(x.data))));
  // The answer budget: a hostile zone's thousands of records are counted, not carried. The
  // addresses the verdicts look for (the checked IP, the one this name came from) are kept.
  const { answers, omitted } = firstAnswers(all, keep, LIMITS.rdnsAnswersPerStep);
  return {
    index,
    query,
    type,
    subject: node.value,
    answers,
    ...(omitted + (r.omitted ?? 0) > 0 ? { answersOmitted: omitted + (r.omitted ?? 0) } : {}),
    ttl: r.ttl,
    rcode: r.rcode,
    cnames: r.cnames,
    server: r.server,
    dig: resolver.dig(query, type),
    ...(r.error && isTemporary(r.rcode) ? { error: r.error } : {}),
    parent: node.step ?? null,
    depth,
  };
}

function markStatuses(root: HopNode, lookupsOf: Map<HopNode, NodeLookups>, sameFamily: 'A' | 'AAAA', fcrdns: IprevResult): void {
  const visit = (node: HopNode, parent: HopNode | undefined, depth: number) => {
    if (node.kind === 'name' && parent) {
      // A name is good when its addresses (of the parent's family) include the address it came from.
      const fam = parent.value.includes(':') ? 'AAAA' : 'A';
      const s = lookupsOf.get(node)?.steps.find((x) => x.type === (depth === 1 ? sameFamily : fam));
      if (node.end === 'loop') node.status = fcrdns === 'pass' ? 'info' : 'warning';
      else if (!s) node.status = node.end === 'budget' && depth === 1 ? 'warning' : 'info';
      else if (s.answers.some((a) => canonicalIp(a) === parent.value)) node.status = 'pass';
      else if (isTemporary(s.rcode)) node.status = 'warning';
      else node.status = depth === 1 ? 'fail' : 'warning';
    } else if (node.kind === 'ip' && parent) {
      if (node.end === 'closes') node.status = 'pass';
      else if (node.end === 'loop') node.status = fcrdns === 'pass' ? 'info' : 'warning';
      else if (node.end === 'error') node.status = 'warning';
      else node.status = 'info';
    }
    for (const c of node.children) visit(c, node, depth + (node === root ? 1 : node.kind === 'ip' ? 1 : 0));
  };
  visit(root, undefined, 0);
}

function hasLoop(node: HopNode): boolean {
  return node.end === 'loop' || node.children.some(hasLoop);
}

function findEnd(node: HopNode, end: HopNode['end']): HopNode | undefined {
  if (node.end === end) return node;
  for (const c of node.children) {
    const f = findEnd(c, end);
    if (f) return f;
  }
  return undefined;
}

function parentOf(root: HopNode, target: HopNode): HopNode | undefined {
  for (const c of root.children) {
    if (c === target) return root;
    const p = parentOf(c, target);
    if (p) return p;
  }
  return undefined;
}

/** Names in the walk that have an address record pointing back to `ip` (candidates for its PTR). */
function namesPointingBackTo(root: HopNode, ip: string): string[] {
  const out: string[] = [];
  const visit = (n: HopNode) => {
    if (n.kind === 'name' && n.children.some((c) => c.kind === 'ip' && c.value === ip)) out.push(n.value);
    n.children.forEach(visit);
  };
  visit(root);
  return [...new Set(out)];
}

/** The path from the root to the first loop end, as text. */
function loopPath(root: HopNode): string {
  const path: string[] = [];
  const visit = (n: HopNode): boolean => {
    path.push(n.value);
    if (n.end === 'loop') return true;
    for (const c of n.children) if (visit(c)) return true;
    path.pop();
    return false;
  };
  visit(root);
  return path.join(' → ');
}

function postfixPeer(ip: string, ptrStep: ChainStep | undefined, names: HopNode[], lookupsOf: Map<HopNode, NodeLookups>, sameFamily: 'A' | 'AAAA'): PeerLookup {
  if (!ptrStep || postfixTemporary(ptrStep.rcode)) {
    return { reverse: 'temp', forward: 'temp', reverseWhy: `The PTR lookup for ${ip} failed temporarily (${ptrStep?.rcode ?? 'no answer'}).` };
  }
  if (ptrStep.rcode === 'FORMERR') {
    return { reverse: 'perm', forward: 'perm', reverseWhy: `The PTR lookup for ${ip} got FORMERR, which the C library reports as a permanent failure (NO_RECOVERY).` };
  }
  if (ptrStep.answers.length === 0) {
    return { reverse: 'perm', forward: 'perm', reverseWhy: `${ip} has no PTR record (${ptrStep.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'no data'}).` };
  }
  const first = ptrStep.answers[0];
  const bad = looksLikeAddress(first) ? 'it is numeric' : postfixHostnameProblem(first);
  if (bad) {
    return { reverse: 'perm', forward: 'perm', reverseName: first, reverseWhy: `Postfix refuses the PTR name ${JSON.stringify(first)}: ${bad}.` };
  }
  // Postfix uses the one name getnameinfo() returns; resolvers rotate multiple PTRs, so judge the worst.
  let worst: PeerStatus = 'ok';
  let why: string | undefined;
  for (const n of names) {
    const s = lookupsOf.get(n)?.steps.find((x) => x.type === sameFamily);
    if (!s) continue;
    let st: PeerStatus;
    let w: string | undefined;
    if (postfixTemporary(s.rcode)) {
      st = 'temp';
      w = `The ${sameFamily} lookup of ${n.value} failed temporarily (${s.rcode}).`;
    } else if (s.rcode === 'FORMERR') {
      st = 'perm';
      w = `The ${sameFamily} lookup of ${n.value} got FORMERR, which the C library reports as a permanent failure (NO_RECOVERY): Postfix logs "hostname ${n.value} does not resolve to address ${ip}".`;
    } else if (s.answers.some((a) => canonicalIp(a) === ip)) {
      st = 'ok';
    } else {
      st = 'perm';
      w =
        s.answers.length === 0
          ? `The PTR name ${n.value} has no ${sameFamily} record: Postfix logs "hostname ${n.value} does not resolve to address ${ip}".`
          : `The PTR name ${n.value} resolves to ${s.answers.join(', ')}, not ${ip}: Postfix logs "hostname ${n.value} does not resolve to address ${ip}".`;
      if (names.length > 1) w += ` (${ip} has ${names.length} PTR names; Postfix sees whichever the resolver returns first.)`;
    }
    if (rank(st) > rank(worst)) {
      worst = st;
      why = w;
    }
  }
  return { reverse: 'ok', reverseName: first, forward: worst, forwardWhy: why };
}

function rank(s: PeerStatus): number {
  return s === 'ok' ? 0 : s === 'temp' ? 1 : 2;
}

export function statusOfFcrdns(r: IprevResult): Status {
  return r === 'pass' ? 'pass' : r === 'temperror' ? 'warning' : 'fail';
}
