// Target `zone-mail`: zone files full of DMARC and DKIM records — tags of both, right and wrong,
// split into quoted strings at any place, unquoted with the rest after ";", at `_dmarc`,
// `<selector>._domainkey`, `_report._dmarc` and wrong names, beside SPF, MX and address records —
// then mutated. Through the linter (two zones: the report host's too), the hover of every probed
// offset, the lenses, and every fix of a DMARC or DKIM finding: its edits inside the text and not
// overlapping, the fixed files parsed and linted again.
import * as fc from 'fast-check';
import { applyEdits } from '../../src/core/zone/edits';
import { dkimSourcesIn } from '../../src/core/zone/dkimLint';
import { dmarcSourcesIn } from '../../src/core/zone/dmarcLint';
import { lintZonesStatic } from '../../src/core/zone/lint';
import { MAIL_TXT_CODES } from '../../src/core/zone/mailCodes';
import { dkimLensText, dmarcLensText, mailTxtInfoAt } from '../../src/core/zone/mailTxtInfo';
import { parseZone } from '../../src/core/zone/parser';
import type { ZoneFinding } from '../../src/core/zone/types';
import { ZoneIndex } from '../../src/core/zone/zoneIndex';
import type { Target } from './harness';
import { INTERESTING, joined, mutated } from './mutate';

// A 1024-bit RSA key (SubjectPublicKeyInfo): long enough to be split, short enough to fit one string.
const KEY =
  'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCkOhJ8fLHq39cskBYV1gPpZ2A2b4HblF04k16+1hCXNQ0tKxcoPMx2Fc7dVKH3Dkxr+F+3smDm3ZzB2nQGiJzZjai2gIABHPVsRl5u9p/Li/tCLkUKgQBhCXMgu//22gHnvKsFly18XEXuCCukqWKZmkd1F4R0AS0QGjRp6RStQQIDAQAB';

const TAGS = [
  'v=DMARC1', 'v=dmarc1', 'v=DMARC2', 'p=reject', 'p=quarantine', 'p=none', 'p=rejct', 'sp=none', 'sp=reject', 'np=reject', 'pct=50', 'pct=150', 'adkim=s', 'aspf=s', 'aspf=strict',
  'rua=mailto:d@example.com', 'rua=d@example.com', 'rua=mailto:d@r.example.net,mailto:e@elsewhere.example', 'ruf=mailto:f@r.example.net!10m', 'fo=1', 'rf=iodef', 'ri=3600', 't=y', 'psd=n', 'ruaa=x', 'rue=y',
  'v=DKIM1', 'v=DKIM2', 'k=rsa', 'k=ed25519', 'k=dsa', 'h=sha1', 'h=sha256', 's=email', 's=tlsrpt', 't=y:s', 'g=', 'n=notes', 'p=', `p=${KEY}`, 'p=abc', 'v=spf1 mx -all', 'v=spf1 ip4:192.0.2.1 ~all', '',
];
const OWNERS = ['@', '_dmarc', '_dmarc.sub', '_dmarc.r.example.net.', 's1._domainkey', 'a.b._domainkey.sub', '_domainkey', '_adsp._domainkey', 'sub', 'r.example.net.', 'mail', 'example.com._report._dmarc.r.example.net.', '*._report._dmarc.r.example.net.', ''];

/** A tag list, cut into quoted strings at random places (or left unquoted, ";" and all). */
const txtArb = fc
  .tuple(fc.array(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 6 }), fc.constantFrom('; ', ';', ' ', ';;', '; \t'), fc.array(fc.nat({ max: 400 }), { maxLength: 3 }), fc.nat({ max: 9 }))
  .map(([tags, sep, cuts, style]) => {
    const text = tags.join(sep);
    if (style === 0) return text;
    const at = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
    const parts: string[] = [];
    let from = 0;
    for (const c of at) {
      parts.push(text.slice(from, c));
      from = c;
    }
    parts.push(text.slice(from));
    const quoted = parts.map((p) => `"${p}"`).join(style === 1 ? '\n  ' : ' ');
    return style === 1 ? `( ${quoted} )` : quoted;
  });

const lineArb = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...OWNERS), txtArb).map(([o, t]) => `${o || ' '} IN TXT ${t}`) },
  { weight: 2, arbitrary: fc.constantFrom('sub IN MX 0 .', 'sub IN A 192.0.2.9', 'r IN MX 10 mail', 's2._domainkey IN CNAME s2.provider.example.', 'mail IN A 192.0.2.25', '@ IN MX 10 mail', '$GENERATE 1-3 h$ TXT "v=DMARC1; p=$"', '_dmarc IN TXT \\# 3 616263') },
);

const HEAD = '$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.53\n';

export interface ZoneMailInput {
  com: string;
  net: string;
  probes: number[];
}

function inputArb(): fc.Arbitrary<ZoneMailInput> {
  const body = (n: number) => joined(fc.array(lineArb, { maxLength: n }), fc.constantFrom('\n', '\n', '\r\n'));
  return fc.record({
    com: mutated(body(14).map((b) => HEAD + b + '\n'), { pool: fc.oneof(lineArb, fc.constantFrom(...INTERESTING)), maxOps: 3, maxRepeat: 50 }),
    net: body(4).map((b) => HEAD + b + '\n'),
    probes: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
  });
}

const FILES = { com: '/z/example.com.zone', net: '/z/example.net.zone' } as const;

function lint(texts: Record<string, string>): { findings: ZoneFinding[]; index: ZoneIndex } {
  const zones = [parseZone(texts[FILES.com], { file: FILES.com, origin: 'example.com' }), parseZone(texts[FILES.net], { file: FILES.net, origin: 'example.net' })];
  return { findings: lintZonesStatic(zones), index: new ZoneIndex(zones) };
}

export const zoneMailTarget: Target<ZoneMailInput> = {
  name: 'zone-mail',
  what: 'zone files of DMARC and DKIM records (split, unquoted, misplaced), mutated → lint, hover at probes, lenses, every DMARC/DKIM fix applied and linted again',
  arbitrary: inputArb,
  weight: 10,
  slice: 200,
  run(input, ctx) {
    const texts: Record<string, string> = { [FILES.com]: input.com, [FILES.net]: input.net };
    const { findings, index } = lint(texts);
    ctx.check('zone-mail-ranges', () => {
      for (const f of findings) {
        const len = texts[f.file]?.length;
        if (len === undefined) return `${f.code} in unknown file ${f.file}`;
        if (!(f.start >= 0 && f.start <= f.end && f.end <= len)) return `${f.code} at ${f.start}-${f.end} outside 0-${len}`;
        if (f.code in MAIL_TXT_CODES && f.severity === 'error') return `${f.code} is an error: mail findings are warnings at most`;
      }
      return undefined;
    });
    for (const p of input.probes) mailTxtInfoAt(index, FILES.com, Math.floor(p * input.com.length));
    for (const s of dmarcSourcesIn(index, FILES.com)) dmarcLensText(s, index);
    for (const s of dkimSourcesIn(index, FILES.com)) dkimLensText(s);
    for (const f of findings) {
      if (!(f.code in MAIL_TXT_CODES)) continue;
      for (const fix of [...(f.fix ? [f.fix] : []), ...(f.alternatives ?? [])]) {
        ctx.check('zone-mail-fix-edits', () => {
          for (const e of fix.edits) {
            const len = texts[e.file]?.length;
            if (len === undefined || !(e.start >= 0 && e.start <= e.end && e.end <= len)) return `${f.code} "${fix.description}": edit ${e.start}-${e.end} outside ${e.file}`;
          }
          const sorted = [...fix.edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
          for (let i = 1; i < sorted.length; i++) if (sorted[i].file === sorted[i - 1].file && sorted[i].start < sorted[i - 1].end) return `${f.code} "${fix.description}": edits overlap`;
          return undefined;
        });
        const fixed: Record<string, string> = {};
        for (const file of Object.values(FILES)) fixed[file] = applyEdits(texts[file], fix.edits.filter((e) => e.file === file));
        lint(fixed);
      }
    }
  },
};
