// Target `server-config`: BIND's named.conf, NSD's nsd.conf and Knot's knot.conf built from their
// grammars (options, zones of every type, views, patterns, templates, includes, comments of every
// kind), mutated → the configuration parsers (src/core/zone/serverConfig.ts) and, for some inputs,
// the whole search of a folder holding that configuration and two zone files.
// Properties: nothing throws; the parsers stay within CONFIG_LIMITS and do work linear in the text;
// the search returns only files inside the folder given, each at most once.
import * as fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CONFIG_LIMITS, parseConfig, type ServerKind } from '../../src/core/zone/serverConfig';
import { findZoneFiles } from '../../src/core/zone/workspace';
import type { Target } from './harness';
import { mutated } from './mutate';

const names = fc.constantFrom('example.com', 'example.com.', 'sub.example.com', '2.0.192.in-addr.arpa', '.', 'EXAMPLE.NET', 'a"b', 'x y', '', '*.example', 'très.example');
const files = fc.constantFrom('db.example.com', 'zones/db.example.com', '/etc/bind/db.example.com', '/var/named/zones/example.com.zone', '../outside.zone', '/etc/passwd', '%s.zone', 'zones/%s', '%1/%2/%s', '', 'named.ca', '/dev/zero');
const dirs = fc.constantFrom('/etc/bind', '/var/named', '.', 'zones', '/', '../..', '', '/var/lib/knot');
const types = fc.constantFrom('master', 'primary', 'slave', 'secondary', 'hint', 'forward', 'stub', 'mirror', 'redirect', 'static-stub', 'delegation-only', 'in-view');
const comment = fc.constantFrom('// note', '# note', '/* block\n comment */', '/* never closed', '');

const namedZone = fc
  .tuple(names, fc.constantFrom('', 'IN', 'in', 'CH'), types, files, fc.boolean(), comment)
  .map(([n, cls, type, file, raw, c]) => `zone "${n}" ${cls} {\n  type ${type};\n  file "${file}";${raw ? '\n  masterfile-format raw;' : ''}\n};${c}`);
const namedStatement = fc.oneof(
  { weight: 4, arbitrary: namedZone },
  { weight: 1, arbitrary: dirs.map((d) => `options {\n  directory "${d}";\n  recursion no;\n};`) },
  { weight: 1, arbitrary: fc.array(namedZone, { maxLength: 4 }).chain((zs) => fc.constantFrom('internal', 'external').map((v) => `view "${v}" {\n${zs.join('\n')}\n};`)) },
  { weight: 1, arbitrary: fc.constantFrom('include "/etc/bind/named.conf.local";', 'include "named.conf.local";', 'include "zones.conf";', 'include "/etc/bind/named.conf";') },
  { weight: 1, arbitrary: fc.constantFrom('acl "x" { 192.0.2.0/24; !10.0.0.1; };', 'key "k" { algorithm hmac-sha256; secret "YWJj"; };', 'logging { channel c { file "log" versions 3; }; };', 'controls { };', '};', '{ { {') },
);
const namedConf = fc.array(namedStatement, { maxLength: 12 }).map((s) => s.join('\n') + '\n');

const yamlValue = (v: fc.Arbitrary<string>) => fc.tuple(v, fc.constantFrom('', '"', "'")).map(([x, q]) => `${q}${x}${q}`);
const nsdClause = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(yamlValue(names), yamlValue(files), fc.constantFrom('', '  include-pattern: p1\n', '  include-pattern: p2\n  include-pattern: p1\n'), fc.boolean()).map(([n, f, inc, xfr]) => `zone:\n  name: ${n}\n  zonefile: ${f}\n${inc}${xfr ? '  request-xfr: 192.0.2.1 NOKEY\n' : ''}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('p1', 'p2', 'p3'), yamlValue(files), fc.constantFrom('', '  include-pattern: p1\n', '  include-pattern: p2\n')).map(([n, f, inc]) => `pattern:\n  name: ${n}\n  zonefile: ${f}\n${inc}`) },
  { weight: 1, arbitrary: yamlValue(dirs).map((d) => `server:\n  zonesdir: ${d}\n  ip-address: 127.0.0.1 # listen\n`) },
  { weight: 1, arbitrary: fc.constantFrom('include: "nsd.conf.d/*.conf"\n', 'include: "zones.conf"\n', '# comment only\n', 'key:\n  name: k\n  secret: "abc"\n', ':\n', '  - x\n') },
);
const nsdConf = fc.array(nsdClause, { maxLength: 12 }).map((c) => c.join('\n'));

const knotItem = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(yamlValue(names), fc.option(yamlValue(files), { nil: undefined }), fc.constantFrom('', '    template: signed\n', '    master: primary\n')).map(([n, f, extra]) => `  - domain: ${n}\n${f !== undefined ? `    file: ${f}\n` : ''}${extra}`) },
);
const knotConf = fc
  .tuple(fc.array(knotItem, { maxLength: 8 }), yamlValue(dirs), fc.constantFrom('', 'include: knot.d/zones.conf\n', 'server:\n    listen: 127.0.0.1@53\n'))
  .map(([zones, storage, extra]) => `${extra}template:\n  - id: default\n    storage: ${storage}\n    file: "%s.zone"\n  - id: signed\n    dnssec-signing: on\nzone:\n${zones.join('')}`);

interface ConfigInput {
  kind: ServerKind;
  text: string;
  /** Also run the folder search over a folder holding this configuration. */
  search: boolean;
}

const inputArb = (): fc.Arbitrary<ConfigInput> =>
  fc.oneof(
    fc.record({ kind: fc.constant('named.conf' as const), text: mutated(namedConf), search: fc.boolean() }),
    fc.record({ kind: fc.constant('nsd.conf' as const), text: mutated(nsdConf), search: fc.boolean() }),
    fc.record({ kind: fc.constant('knot.conf' as const), text: mutated(knotConf), search: fc.boolean() }),
  );

const ZONE = '$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.1\n';

export const serverConfigTarget: Target<ConfigInput> = {
  name: 'server-config',
  what: 'named.conf, nsd.conf and knot.conf from their grammars (zones of every type, views, patterns, templates, includes, comments), mutated → the configuration parsers; a folder with the configuration and zones → the zone-file search',
  arbitrary: inputArb,
  weight: 10,
  slice: 200,
  run(input, ctx) {
    const parsed = parseConfig(input.kind, input.text);
    ctx.check('config-limits', () => (parsed.zones.length <= CONFIG_LIMITS.zones && parsed.includes.length <= CONFIG_LIMITS.includes ? undefined : `${parsed.zones.length} zones, ${parsed.includes.length} includes`));
    ctx.check('config-linear', () => (parsed.work <= 3 * input.text.length + 16 ? undefined : `work ${parsed.work} for ${input.text.length} characters`));
    ctx.check('config-zones', () => (parsed.zones.some((z) => typeof z.name !== 'string' || !(z.line >= 1)) ? 'a zone without a name or line' : undefined));
    if (!input.search) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'maildns-fuzz-config-'));
    try {
      mkdirSync(path.join(dir, 'zones'));
      writeFileSync(path.join(dir, input.kind), input.text);
      writeFileSync(path.join(dir, 'db.example.com'), ZONE);
      writeFileSync(path.join(dir, 'zones', 'example.com.zone'), ZONE);
      const found = findZoneFiles([dir]);
      ctx.check('config-inside', () => found.files.find((f) => path.relative(dir, path.resolve(f.file)).startsWith('..'))?.file);
      ctx.check('config-once', () => {
        const seen = new Set<string>();
        for (const f of found.files) {
          const key = `${path.resolve(f.file)}\0${f.origin ?? ''}`;
          if (seen.has(key)) return `${f.file} listed twice`;
          seen.add(key);
        }
        return undefined;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
