// The sequential in-process loop the audit is measured against: one resolver, one checkRdns after
// another over the block, as a script written against the core would do it. Run as its own process
// (bench/audit.ts) so its peak RSS is its own. Usage: node audit-loop.js <server> <cidr>
import { parseRange, rangeAddresses } from '../src/core/audit/range';
import { createResolver } from '../src/core/dns/resolver';
import { checkRdns } from '../src/core/rdns/check';

async function main(): Promise<void> {
  const [server, cidr] = process.argv.slice(2);
  const r = parseRange(cidr);
  if (!r.ok) throw new Error(r.error);
  const resolver = createResolver({ servers: [server], timeoutMs: 3000 });
  let n = 0;
  for (const ip of rangeAddresses(r.range)) {
    await checkRdns(ip, { resolver });
    n++;
  }
  process.stdout.write(`${n}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
